import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";

/**
 * The proxy's headers on a deployment served over https. APP_URL is read once per process
 * (lib/env.ts), so this file sets it before anything parses the environment.
 */
const APP_URL = "https://lip.example.test";
let previousAppUrl: string | undefined;
let proxy: (request: NextRequest) => Promise<Response>;
let config: { matcher: string[] };

beforeAll(async () => {
  previousAppUrl = process.env.APP_URL;
  process.env.APP_URL = APP_URL;
  // supabase-js wants a WebSocket on Node 20; Next provides one, vitest does not.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  ({ proxy, config } = await import("@/proxy"));
});

afterAll(() => {
  process.env.APP_URL = previousAppUrl;
});

describe("proxy", () => {
  it("sends HSTS and a fresh nonce CSP, and hands the nonce to Next for its scripts", async () => {
    const first = await proxy(new NextRequest(`${APP_URL}/login`));
    const second = await proxy(new NextRequest(`${APP_URL}/login`));
    expect(first.headers.get("strict-transport-security")).toMatch(/^max-age=\d+; includeSubDomains$/);

    const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
    const csp = first.headers.get("content-security-policy");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(nonceOf(csp)).toBeTruthy();
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonceOf(csp));
    // Next renders the page with the request headers the proxy forwards.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("sends the same headers on its redirect of a signed-out visitor", async () => {
    const response = await proxy(new NextRequest(`${APP_URL}/leads`));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${APP_URL}/login?next=%2Fleads`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("strict-transport-security")).toBeTruthy();
  });

  it("leaves unsubscribe links alone: no session is read or refreshed for a recipient or a mail provider's one-click POST", () => {
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });
    expect(matches("/unsubscribe/u1.token.signature")).toBe(false);
    expect(matches("/unsubscribe/test")).toBe(false);
    // Only that path: look-alikes keep the proxy (and its redirect of signed-out visitors).
    expect(matches("/unsubscribe")).toBe(true);
    expect(matches("/unsubscribed")).toBe(true);
    expect(matches("/unsubscribe/a/b")).toBe(true);
    expect(matches("/settings/suppression")).toBe(true);
  });

  it("leaves the CSV upload to its route, which would otherwise get only the first 10 MB of a buffered body", () => {
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });
    expect(matches("/api/imports")).toBe(false);
    // Everything else under imports keeps the session refresh and the security headers.
    expect(matches("/api/imports/0b5e7a4e-5d0c-4a57-9a3b-0a4f2f3c1d2e/issues")).toBe(true);
    expect(matches("/imports")).toBe(true);
    expect(matches("/api/importsx")).toBe(true);
  });

  it("leaves the vendors' sandboxes to their routes: API clients with a sandbox key, never a session", () => {
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });
    expect(matches("/api/sandbox/apollo/api/v1/auth/health")).toBe(false);
    expect(matches("/api/sandboxes")).toBe(true);
    expect(matches("/settings/integrations")).toBe(true);
  });
});
