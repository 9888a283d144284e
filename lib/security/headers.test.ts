import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, generateNonce, NON_PAGE_CSP, staticSecurityHeaders, UNSUBSCRIBE_PAGE_HEADERS } from "./headers";

const directives = (csp: string) =>
  new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
      .map(([k, ...v]) => [k, v]),
  );

describe("security headers", () => {
  it("page CSP: scripts only with the nonce, never inline or from elsewhere, and no framing", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc123", development: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    // Email HTML in the outbox's srcdoc frame inherits this policy: inline style attributes
    // must keep working, remote images must not load.
    expect(csp.get("style-src")).toContain("'unsafe-inline'");
    expect(csp.get("img-src")).not.toContain("https:");
    expect(csp.get("img-src")).not.toContain("*");
  });

  it("adds 'unsafe-eval' in development only", () => {
    expect(contentSecurityPolicy({ nonce: "n", development: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce: "n", development: false })).not.toContain("'unsafe-eval'");
  });

  it("static headers everywhere, HSTS only when served over https", () => {
    const plain = Object.fromEntries(staticSecurityHeaders({ https: false }).map((h) => [h.key, h.value]));
    expect(plain).toEqual({
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
    });
    const secure = Object.fromEntries(staticSecurityHeaders({ https: true }).map((h) => [h.key, h.value]));
    expect(secure["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}/);
    expect(NON_PAGE_CSP).toContain("frame-ancestors 'none'");
  });

  it("unsubscribe pages: no script at all, inline styles, forms only to this origin, no framing, no referrer (the token is in the URL)", () => {
    const headers = Object.fromEntries(UNSUBSCRIBE_PAGE_HEADERS.map((h) => [h.key, h.value]));
    expect(headers["Referrer-Policy"]).toBe("no-referrer");
    const csp = directives(headers["Content-Security-Policy"]!);
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.has("script-src")).toBe(false);
    expect(csp.get("style-src")).toEqual(["'unsafe-inline'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("makes a fresh, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, generateNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64").length).toBe(16);
  });
});
