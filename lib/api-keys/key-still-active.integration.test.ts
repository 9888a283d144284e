import { and, eq, sql } from "drizzle-orm";
import type postgres from "postgres";
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

  /**
   * A revoke, a ban or an account's delete committing while the write asks: the answer waits for
   * it and is no. Read without a lock, the key looked as it was before the revoke, and a write
   * committed after it. Each form is raced on its own, so that one form's wait cannot stand in
   * for the other's.
   */
  describe("while a revoke, a ban or a delete is committing", () => {
    type Form = "inTransaction" | "byId";
    const FORMS: Form[] = ["inTransaction", "byId"];
    const askerOf = async (form: Form, secret: string, keyId: string) => {
      const principal = await authenticateApiKey(serviceDb(), secret);
      if (typeof principal === "string") throw new Error(principal);
      return form === "inTransaction"
        ? () => withUserTx(principal.claims, (tx) => apiKeyStillActive(tx))
        : () => connect(env().DATABASE_URL).sql.begin((tx) => apiKeyStillActiveById(tx, keyId));
    };
    /** `change` runs and holds its transaction open while `ask` starts; `then` runs in it just before it commits. */
    const race = async (
      change: (tx: postgres.TransactionSql) => Promise<unknown>,
      ask: () => Promise<unknown>,
      then?: (tx: postgres.TransactionSql) => Promise<unknown>,
    ) => {
      const other = connect(env().DATABASE_URL, { purpose: "still-active-race", max: 1 }).sql;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let changed!: () => void;
      const made = new Promise<void>((resolve) => (changed = resolve));
      const committing = other.begin(async (tx) => {
        await change(tx);
        changed();
        await held;
        await then?.(tx);
      });
      await made;
      let answered = false;
      const answer = ask().finally(() => (answered = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const waited = !answered;
      release();
      await committing;
      return { waited, answer: await answer };
    };

    it.each(FORMS)("waits for a revoke and is then no (%s)", async (form) => {
      const { key } = await keyOf();
      const ask = await askerOf(form, key.secret, key.id);
      const revoked = await race((tx) => tx`update api_keys set revoked_at = now() where id = ${key.id}`, ask);
      expect(revoked).toEqual({ waited: true, answer: false });
    });
    it.each(FORMS)("waits for a ban of its creator and is then no (%s)", async (form) => {
      const { member, key } = await keyOf();
      const ask = await askerOf(form, key.secret, key.id);
      const banned = await race((tx) => tx`update auth.users set banned_until = now() + interval '1 hour' where id = ${member.id}`, ask);
      expect(banned).toEqual({ waited: true, answer: false });
    });
    // A write asks first thing (define-route.ts, the bulk upsert's beforeWrites); asked again at the end here, it answers
    // the same, the rows it read being held. Asked only at the end, a write that had updated a lead its creator made held that lead while a hard delete of the account,
    // holding the account, waited for it (its cascade sets the lead's created_by to null), and the write's ask waited
    // for the account: a deadlock.
    it.each(FORMS)("holds the account from the write's start, so a hard delete racing the write waits for it (%s)", async (form) => {
      const { member, key } = await keyOf();
      const [lead] = await serviceDb().execute<{ id: string }>(sql`
        insert into public.leads (workspace_id, first_name, created_by) values (${fx.a.id}, 'Made by the key''s creator', ${member.id})
        returning id`);
      const principal = await authenticateApiKey(serviceDb(), key.secret);
      if (typeof principal === "string") throw new Error(principal);
      let touched!: () => void;
      const leadTouched = new Promise<void>((resolve) => (touched = resolve));
      let goOn!: () => void;
      const mayCommit = new Promise<void>((resolve) => (goOn = resolve));
      const body = async (ask: () => Promise<boolean>, touch: () => Promise<unknown>) => {
        const first = await ask();
        await touch();
        touched();
        await mayCommit;
        return [first, await ask()];
      };
      const write =
        form === "inTransaction"
          ? withUserTx(principal.claims, (tx) =>
              body(
                () => apiKeyStillActive(tx),
                () => tx.execute(sql`update public.leads set title = 'Touched' where id = ${lead!.id}`),
              ),
            )
          : connect(env().DATABASE_URL).sql.begin((tx) =>
              body(
                () => apiKeyStillActiveById(tx, key.id),
                () => tx`update public.leads set title = 'Touched' where id = ${lead!.id}`,
              ),
            );
      await leadTouched;
      // Started now (a drizzle query runs only once awaited).
      const deleting = (async () => serviceDb().execute(sql`delete from auth.users where id = ${member.id}`))();
      await new Promise((resolve) => setTimeout(resolve, 300));
      goOn();
      expect(await write).toEqual([true, true]);
      await deleting;
      const gone = await serviceDb().execute(sql`select 1 from auth.users where id = ${member.id}`);
      expect(gone).toHaveLength(0);
    });
    // The delete locks the account, then (its cascade) the key: the check takes them in that order too, or each waits for the other.
    it.each(FORMS)("waits for the delete of its creator's account, without a deadlock, and is then no (%s)", async (form) => {
      const { member, key } = await keyOf();
      const ask = await askerOf(form, key.secret, key.id);
      const deleted = await race(
        (tx) => tx`select 1 from auth.users where id = ${member.id} for update`,
        ask,
        (tx) => tx`delete from auth.users where id = ${member.id}`,
      );
      expect(deleted).toEqual({ waited: true, answer: false });
    });
  });
});
