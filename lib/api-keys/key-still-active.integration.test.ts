import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { serviceDb, withUserTx } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { env } from "@/lib/env";
import { createTestApiKey } from "@/tests/fixtures/api-keys";
import { addTestMember } from "@/tests/fixtures/leads";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { authenticateApiKey } from "./authenticate-api-key";
import { apiKeyStillActive, apiKeyStillActiveById } from "./key-still-active";

/**
 * The check a write made with a key makes just before it commits (migrations 0123, 0132): the
 * key still works, and so does its creator, whom it acts as: a member of its workspace still,
 * neither banned nor deleted. Both forms: in the key's own transaction (RLS) and by id on the
 * service connection (the bulk upsert).
 */
let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("whether a key may still write, asked before its write commits", () => {
  const both = async (secret: string, keyId: string) => {
    const principal = await authenticateApiKey(serviceDb(), secret);
    if (typeof principal === "string") throw new Error(principal);
    // Claims as the request began with them: what changed since is what the check is for.
    return async () => ({
      inTransaction: await withUserTx(principal.claims, (tx) => apiKeyStillActive(tx)),
      byId: await connect(env().DATABASE_URL).sql.begin((tx) => apiKeyStillActiveById(tx, keyId)),
    });
  };
  const keyOf = async () => {
    const member = await addTestMember(fx.a, "admin", "Checked Admin");
    const key = await createTestApiKey(fx.a, "read_write", { creator: member });
    return { member, key, ask: await both(key.secret, key.id) };
  };
  const membership = (m: TenancyMember) => and(eq(workspaceMembers.workspaceId, fx.a.id), eq(workspaceMembers.userId, m.id));

  it("yes while the key and its creator are as they were", async () => {
    const { ask } = await keyOf();
    expect(await ask()).toEqual({ inTransaction: true, byId: true });
  });
  it("no once its creator has left the workspace", async () => {
    const { member, ask } = await keyOf();
    await serviceDb().delete(workspaceMembers).where(membership(member));
    expect(await ask()).toEqual({ inTransaction: false, byId: false });
  });
  it("no while its creator is banned, yes again once the ban has passed", async () => {
    const { member, ask } = await keyOf();
    await serviceDb().execute(sql`update auth.users set banned_until = now() + interval '1 hour' where id = ${member.id}`);
    expect(await ask()).toEqual({ inTransaction: false, byId: false });
    await serviceDb().execute(sql`update auth.users set banned_until = now() - interval '1 second' where id = ${member.id}`);
    expect(await ask()).toEqual({ inTransaction: true, byId: true });
  });
  it("no once its creator's account is deleted", async () => {
    const { member, ask } = await keyOf();
    await serviceDb().execute(sql`update auth.users set deleted_at = now() where id = ${member.id}`);
    expect(await ask()).toEqual({ inTransaction: false, byId: false });
  });
});
