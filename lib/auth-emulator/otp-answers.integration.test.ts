import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { countEmailsTo, createConfirmedUser, rawAuthRequest, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

/** Sign-up is off (the default): /otp and /recover must not tell a stranger which addresses exist. */
let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

let nextIp = 1;
const freshIp = () => `203.0.113.${nextIp++}`;

/** A known, an unknown, a banned and a just-mailed address. */
async function fourAddresses(path: "/otp" | "/recover") {
  const known = (await createConfirmedUser(server, "known")).email;
  const banned = await createConfirmedUser(server, "banned");
  const ban = await server.adminClient().auth.admin.updateUserById(banned.userId, { ban_duration: "24h" });
  expect(ban.error).toBeNull();
  const justMailed = (await createConfirmedUser(server, "mailed")).email;
  expect((await rawAuthRequest(server, path, { ip: freshIp(), body: { email: justMailed } })).status).toBe(200);
  return { known, unknown: uniqueEmail("unknown"), banned: banned.email, justMailed };
}

async function userExists(email: string): Promise<boolean> {
  return (await serviceDb().execute(sql`select 1 from auth.users where lower(email) = ${email}`)).length > 0;
}

describe("POST /otp", () => {
  for (const variant of [{}, { create_user: false }, { create_user: true }]) {
    it(`answers every address alike (${JSON.stringify(variant)}); only the known one is mailed; nobody is created`, async () => {
      const addresses = await fourAddresses("/otp");
      const answers = [];
      for (const email of Object.values(addresses)) {
        const { status, body, retryAfter } = await rawAuthRequest(server, "/otp", { ip: freshIp(), body: { email, ...variant } });
        answers.push({ status, body, retryAfter });
      }
      expect(answers).toEqual(Array(4).fill({ status: 200, body: "{}", retryAfter: null }));
      expect(await countEmailsTo(addresses.known)).toBe(1);
      expect(await countEmailsTo(addresses.banned)).toBe(0);
      expect(await countEmailsTo(addresses.justMailed)).toBe(1);
      expect(await countEmailsTo(addresses.unknown)).toBe(0);
      expect(await userExists(addresses.unknown)).toBe(false);
    });
  }
});

describe("POST /recover", () => {
  it("answers every address alike; only the known one is mailed", async () => {
    const addresses = await fourAddresses("/recover");
    const answers = [];
    for (const email of Object.values(addresses)) {
      const { status, body, retryAfter } = await rawAuthRequest(server, "/recover", { ip: freshIp(), body: { email } });
      answers.push({ status, body, retryAfter });
    }
    expect(answers).toEqual(Array(4).fill({ status: 200, body: "{}", retryAfter: null }));
    expect(await countEmailsTo(addresses.known)).toBe(1);
    expect(await countEmailsTo(addresses.banned)).toBe(0);
    expect(await countEmailsTo(addresses.justMailed)).toBe(1);
    expect(await countEmailsTo(addresses.unknown)).toBe(0);
  });
});
