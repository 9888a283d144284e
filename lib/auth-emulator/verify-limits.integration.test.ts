import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createConfirmedUser, latestEmailTo, rawAuthRequest, readAuthEmail, startAuthTestServer, type AuthTestServer } from "./testing";

let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
});

const guess = () => ({ type: "magiclink", token_hash: randomBytes(24).toString("hex") });

async function emailedLink() {
  const { email } = await createConfirmedUser(server, "verify-limit");
  expect((await server.anonClient().auth.signInWithOtp({ email })).error).toBeNull();
  return readAuthEmail((await latestEmailTo(email))!).tokenHash;
}

describe("verification per IP", () => {
  it("after 30 failed verifications an IP gets 429 with Retry-After, even for a valid link, which stays valid", async () => {
    const tokenHash = await emailedLink();
    const ip = "198.51.100.40";
    for (let i = 0; i < 30; i++) expect((await rawAuthRequest(server, "/verify", { ip, body: guess() })).status).toBe(403);

    const refused = await rawAuthRequest(server, "/verify", { ip, body: { type: "magiclink", token_hash: tokenHash } });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toEqual({ code: 429, error_code: "over_request_rate_limit", msg: "Request rate limit reached" });
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);

    // The older GET /verify link is limited too (its redirect carries the error).
    const viaGet = await rawAuthRequest(server, `/verify?token=${tokenHash}&type=magiclink`, { ip, method: "GET" });
    expect(new URLSearchParams(new URL(viaGet.location!).hash.slice(1)).get("error_code")).toBe("over_request_rate_limit");

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + (retryAfter + 1) * 1000 });
    expect((await rawAuthRequest(server, "/verify", { ip, body: { type: "magiclink", token_hash: tokenHash } })).status).toBe(200);
  });

  it("counts each IP on its own, and successful verifications not at all", async () => {
    const ip = "198.51.100.41";
    for (let i = 0; i < 30; i++) await rawAuthRequest(server, "/verify", { ip, body: guess() });
    expect((await rawAuthRequest(server, "/verify", { ip, body: guess() })).status).toBe(429);

    const other = "198.51.100.42";
    for (let i = 0; i < 31; i++) {
      const tokenHash = await emailedLink();
      expect((await rawAuthRequest(server, "/verify", { ip: other, body: { type: "magiclink", token_hash: tokenHash } })).status).toBe(200);
    }
  });
});
