import { describe, expect, it } from "vitest";
import nextConfig from "./next.config";

describe("next.config.ts", () => {
  it("keeps the outbox API's requests, one per email, out of the dev server's request log", () => {
    const logging = nextConfig.logging;
    const ignore = logging && typeof logging.incomingRequests === "object" ? (logging.incomingRequests.ignore ?? []) : [];
    const ignored = (url: string) => ignore.some((pattern) => pattern.test(url));
    expect(ignored("/api/local-resend/emails")).toBe(true);
    expect(ignored("http://localhost:3000/api/local-resend/emails")).toBe(true);
    expect(ignored("/leads")).toBe(false);
    expect(ignored("/api/imports")).toBe(false);
  });
});
