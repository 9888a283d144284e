import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "@/lib/env";
import { createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

/**
 * Password sign-in limits on the embedded /token, over real HTTP. The windows are minutes
 * long: the tests move the clock the limiter reads instead of waiting.
 */
let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
});

let nextIp = 1;
/** A fresh client address for each test, so tests in this file do not share per-IP counters. */
const freshIp = () => `198.51.100.${nextIp++}`;

async function signIn(email: string, password: string, forwardedFor: string) {
  const response = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY, "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ email, password }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

function moveClockBy(seconds: number) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + seconds * 1000 });
}

describe("per account", () => {
  it("after 10 wrong passwords the right one is refused with 429 and Retry-After until the lock ends", async () => {
    const { email, password } = await createConfirmedUser(server, "locked");
    // From ten different addresses: the account's own counter locks it, not the IPs'.
    for (let i = 0; i < 10; i++) expect((await signIn(email, "wrong password", freshIp())).status).toBe(400);

    const refused = await signIn(email, password, freshIp());
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ code: 429, error_code: "over_request_rate_limit", msg: "Request rate limit reached" });
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    moveClockBy(retryAfter - 30);
    expect((await signIn(email, password, freshIp())).status).toBe(429);
    moveClockBy(retryAfter + 1);
    expect((await signIn(email, password, freshIp())).status).toBe(200);
  });

  it("an unknown address locks exactly like a known one", async () => {
    const email = uniqueEmail("nobody");
    for (let i = 0; i < 10; i++) expect((await signIn(email, "wrong password", freshIp())).status).toBe(400);
    const refused = await signIn(email, "anything at all", freshIp());
    expect(refused.status).toBe(429);
    expect(refused.body.error_code).toBe("over_request_rate_limit");
  });

  it("backs off: a second lock within the day lasts twice as long", async () => {
    const { email, password } = await createConfirmedUser(server, "backoff");
    for (let i = 0; i < 10; i++) await signIn(email, "wrong password", freshIp());
    const first = Number((await signIn(email, password, freshIp())).retryAfter);
    moveClockBy(first + 1);
    for (let i = 0; i < 10; i++) await signIn(email, "wrong password", freshIp());
    const second = await signIn(email, password, freshIp());
    expect(second.status).toBe(429);
    expect(Number(second.retryAfter)).toBeGreaterThan(first + 60);
  });

  it("a success forgives earlier failures", async () => {
    const { email, password } = await createConfirmedUser(server, "forgiven");
    for (let i = 0; i < 9; i++) await signIn(email, "wrong password", freshIp());
    expect((await signIn(email, password, freshIp())).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await signIn(email, "wrong password", freshIp())).status).toBe(400);
    expect((await signIn(email, password, freshIp())).status).toBe(200);
  });
});

describe("per IP", () => {
  it("30 failures from one IP lock that IP out for every account, and only that IP", async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) expect((await signIn(uniqueEmail("spray"), "wrong password", ip)).status).toBe(400);
    const { email, password } = await createConfirmedUser(server, "innocent");
    const refused = await signIn(email, password, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(4 * 60);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(5 * 60);
    expect((await signIn(email, password, freshIp())).status).toBe(200);
  });

  it("a caller cannot pick its own IP: only the entry the proxy appended counts", async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) await signIn(uniqueEmail("spray"), "wrong password", `203.0.113.${i}, ${ip}`);
    const { email, password } = await createConfirmedUser(server, "spoofer");
    expect((await signIn(email, password, `192.0.2.77, ${ip}`)).status).toBe(429);
  });
});
