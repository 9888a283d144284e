import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { countEmailsTo, createConfirmedUser, rawAuthRequest, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

// Small limits, read by env()'s first call; the counters are this test server's own.
process.env.RATE_LIMIT_EMAIL_SENT = "6";
process.env.RATE_LIMIT_EMAIL_SENT_PER_IP = "3";

let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
});

const OVER_EMAIL_LIMIT = JSON.stringify({ code: 429, error_code: "over_email_send_rate_limit", msg: "Email rate limit exceeded" });

describe("auth email limits (the tests run in order: the global count carries over)", () => {
  it("per IP: past the limit every address gets the same 429 with Retry-After, and other IPs are unaffected", async () => {
    const { email: known } = await createConfirmedUser(server, "per-ip");
    const ip = "198.51.100.10";
    expect((await rawAuthRequest(server, "/otp", { ip, body: { email: uniqueEmail("a") } })).status).toBe(200);
    expect((await rawAuthRequest(server, "/recover", { ip, body: { email: uniqueEmail("b") } })).status).toBe(200);
    expect((await rawAuthRequest(server, "/otp", { ip, body: { email: uniqueEmail("c") } })).status).toBe(200);

    const forKnown = await rawAuthRequest(server, "/otp", { ip, body: { email: known } });
    const forUnknown = await rawAuthRequest(server, "/recover", { ip, body: { email: uniqueEmail("d") } });
    for (const refused of [forKnown, forUnknown]) {
      expect(refused.status).toBe(429);
      expect(refused.body).toBe(OVER_EMAIL_LIMIT);
      expect(Number(refused.retryAfter)).toBeGreaterThan(3500);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(3600);
    }
    expect(await countEmailsTo(known)).toBe(0);

    expect((await rawAuthRequest(server, "/otp", { ip: "198.51.100.11", body: { email: known } })).status).toBe(200);
    expect(await countEmailsTo(known)).toBe(1);
  });

  it("globally: past the limit every IP is refused until the hour has passed", async () => {
    // 4 counted so far; two more from a third IP fill the 6.
    for (let i = 0; i < 2; i++) {
      expect((await rawAuthRequest(server, "/otp", { ip: "198.51.100.12", body: { email: uniqueEmail("g") } })).status).toBe(200);
    }
    const { email } = await createConfirmedUser(server, "global");
    const refused = await rawAuthRequest(server, "/otp", { ip: "198.51.100.13", body: { email } });
    expect(refused.status).toBe(429);
    expect(refused.body).toBe(OVER_EMAIL_LIMIT);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(await countEmailsTo(email)).toBe(0);

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3601 * 1000 });
    expect((await rawAuthRequest(server, "/otp", { ip: "198.51.100.13", body: { email } })).status).toBe(200);
    expect(await countEmailsTo(email)).toBe(1);
  });
});
