import path from "node:path";
import { transpileConfig } from "next/dist/build/next-config-ts/transpile-config";
import { describe, expect, it } from "vitest";
import { parseEnv } from "./lib/env";
import { outboxWebhookTarget } from "./lib/outbox/webhook-delivery";
import nextConfig from "./next.config";
import { LOCAL_DEV_ENV as LOCAL } from "./lib/local/testing/local-dev-env";

describe("next.config.ts", () => {
  const projectDir = path.resolve(import.meta.dirname);

  it("keeps the outbox API's requests, one per email, out of the dev server's request log", () => {
    const logging = nextConfig.logging;
    const ignore = logging && typeof logging.incomingRequests === "object" ? (logging.incomingRequests.ignore ?? []) : [];
    const ignored = (url: string) => ignore.some((pattern) => pattern.test(url));
    expect(ignored("/api/local-resend/emails")).toBe(true);
    expect(ignored("http://localhost:3000/api/local-resend/emails")).toBe(true);
    expect(ignored("/leads")).toBe(false);
    expect(ignored("/api/imports")).toBe(false);
  });

  it("keeps the embedded outbox's webhook deliveries out of the request log, and shows every other request to the webhook routes", () => {
    const logging = nextConfig.logging;
    const ignore = logging && typeof logging.incomingRequests === "object" ? (logging.incomingRequests.ignore ?? []) : [];
    const ignored = (url: string) => ignore.some((pattern) => pattern.test(url));
    const outbox = new URL(outboxWebhookTarget(parseEnv(LOCAL))!.url);
    expect(ignored(`${outbox.pathname}${outbox.search}`)).toBe(true);
    expect(ignored(outbox.toString())).toBe(true);
    // Resend's own deliveries (through a tunnel), a curl, a forged one: shown.
    expect(ignored("/api/webhooks/resend")).toBe(false);
    expect(ignored("/api/webhooks/resend?from=local-outbox&x=1")).toBe(false);
    expect(ignored("/api/webhooks/resend?from=resend")).toBe(false);
    expect(ignored("/api/webhooks/instantly/5a1e2a5e-0000-4000-8000-000000000000")).toBe(false);
  });

  // Turbopack's root is this project, whichever way next.config.ts is loaded: as ESM (the launcher
  // imports it under tsx, where __dirname is undefined) and as Next.js itself loads it.
  it("names the project directory as Turbopack's and file tracing's root when imported as ESM", () => {
    expect(nextConfig.turbopack?.root).toBe(projectDir);
    expect(nextConfig.outputFileTracingRoot).toBe(projectDir);
  });

  it("names the same directory when Next.js compiles and loads it", async () => {
    const loaded = await transpileConfig({ nextConfigPath: path.join(projectDir, "next.config.ts"), dir: projectDir });
    const config = (loaded.default ?? loaded) as typeof nextConfig;
    expect(config.turbopack?.root).toBe(projectDir);
    expect(config.outputFileTracingRoot).toBe(projectDir);
  }, 30_000);
});
