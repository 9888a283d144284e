import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { apiKeys, auditLog, workspaceMembers } from "@/db/schema";
import { removeMember } from "@/lib/team/remove-member";
import { createTestApiKey } from "@/tests/fixtures/api-keys";
import { addTestMember } from "@/tests/fixtures/leads";
import { AppError } from "@/lib/errors";
import {
  asUser,
  asUserRolledBack,
  createTenancyFixture,
  createTestWorkspace,
  outcome,
  removeTenancyFixture,
  sqlState,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { authenticateApiKey } from "./authenticate-api-key";
import { createApiKey, listApiKeys, revokeApiKey } from "./manage-api-keys";
import { hashApiKeySecret } from "./secret";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(async () => {
  await removeTenancyFixture(fx, serviceDb());
});

const actorOf = (member: TenancyMember, workspaceId = fx.a.id) => ({ workspaceId, userId: member.id, role: member.role });

describe("API keys (Settings → API)", () => {
  it("an admin makes a key: its secret is returned once and only its hash is kept", async () => {
    const admin = fx.a.members.admin;
    const made = await asUser(admin, (tx) =>
      createApiKey(tx, actorOf(admin), { name: "CRM sync", scope: "read_write", expiresInDays: 30 }),
    );
    expect(made.secret).toMatch(/^lip_[A-Za-z0-9_-]{43}$/);
    const [stored] = await serviceDb().select().from(apiKeys).where(eq(apiKeys.id, made.id));
    expect(stored).toMatchObject({ secretHash: hashApiKeySecret(made.secret), prefix: made.secret.slice(0, 10), createdBy: admin.id });
    expect(JSON.stringify(stored)).not.toContain(made.secret);
    expect(stored!.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);

    const listed = await asUser(admin, (tx) => listApiKeys(tx, actorOf(admin)));
    const row = listed.find((k) => k.id === made.id);
    expect(row).toMatchObject({ name: "CRM sync", scope: "read_write", prefix: made.secret.slice(0, 10), revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(made.secret);
    const [audit] = await serviceDb()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, made.id), eq(auditLog.action, "api_key.created")));
    expect(audit).toBeDefined();
  });

  it("refuses a second live key of a name (any case), saying so on the field; a revoked key's name is free again", async () => {
    const admin = fx.a.members.admin;
    const make = (name: string) => asUser(admin, (tx) => createApiKey(tx, actorOf(admin), { name, scope: "read", expiresInDays: null }));
    const first = await make("Warehouse export");
    const refused = await make("warehouse EXPORT").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: "conflict",
      message: "A key named “warehouse EXPORT” is already in use. Give this one another name, or revoke that one first.",
      fieldErrors: { name: ["A live key of this workspace already has this name."] },
    });
    // Another workspace may use the name.
    const other = fx.b.members.admin;
    await asUser(other, (tx) =>
      createApiKey(tx, actorOf(other, fx.b.id), { name: "Warehouse export", scope: "read", expiresInDays: null }),
    );

    await asUser(admin, (tx) => revokeApiKey(tx, actorOf(admin), { keyId: first.id }));
    const again = await make("Warehouse export");
    const names = (await asUser(admin, (tx) => listApiKeys(tx, actorOf(admin)))).filter((k) => k.name === "Warehouse export");
    expect(names.map((k) => [k.id, k.revokedAt === null])).toEqual([
      [again.id, true],
      [first.id, false],
    ]);
  });

  it("no role but an admin may make, list or revoke keys; RLS hides them from the others", async () => {
    const admin = fx.a.members.admin;
    const made = await asUser(admin, (tx) => createApiKey(tx, actorOf(admin), { name: "Hidden", scope: "read", expiresInDays: null }));
    for (const role of ["manager", "sales_rep", "analyst", "viewer"] as const) {
      const member = fx.a.members[role];
      await expect(
        asUser(member, (tx) => createApiKey(tx, actorOf(member), { name: "Mine", scope: "read", expiresInDays: null })),
      ).rejects.toThrow(AppError);
      await expect(asUser(member, (tx) => listApiKeys(tx, actorOf(member)))).rejects.toThrow(AppError);
      await expect(asUser(member, (tx) => revokeApiKey(tx, actorOf(member), { keyId: made.id }))).rejects.toThrow(AppError);
      const seen = await asUser(member, (tx) => tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.workspaceId, fx.a.id)));
      expect(seen).toEqual([]);
    }
  });

  it("not even an admin reads a key's hash", async () => {
    const admin = fx.a.members.admin;
    const read = await outcome(() => asUser(admin, (tx) => tx.execute(sql`select secret_hash from public.api_keys limit 1`)));
    expect(read).toBe("denied");
  });

  it("a revoked key stops at once; another workspace's admin cannot revoke it", async () => {
    const admin = fx.a.members.admin;
    const made = await asUser(admin, (tx) => createApiKey(tx, actorOf(admin), { name: "Short-lived", scope: "read", expiresInDays: 7 }));
    expect(await authenticateApiKey(serviceDb(), made.secret)).toMatchObject({ keyId: made.id });

    const other = fx.b.members.admin;
    await expect(asUser(other, (tx) => revokeApiKey(tx, actorOf(other, fx.b.id), { keyId: made.id }))).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await authenticateApiKey(serviceDb(), made.secret)).toMatchObject({ keyId: made.id });

    await asUser(admin, (tx) => revokeApiKey(tx, actorOf(admin), { keyId: made.id }));
    expect(await authenticateApiKey(serviceDb(), made.secret)).toBe("api_key_revoked");
    await asUser(admin, (tx) => revokeApiKey(tx, actorOf(admin), { keyId: made.id }));
    const revocations = await serviceDb()
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, made.id), eq(auditLog.action, "api_key.revoked")));
    expect(revocations).toHaveLength(1);

    // For good: not even an admin's own token (the Data API) brings it back or renames who revoked it.
    for (const change of [sql`revoked_at = null, revoked_by = null`, sql`revoked_by = ${fx.a.members.manager.id}`]) {
      const revived = asUser(admin, (tx) => tx.execute(sql`update public.api_keys set ${change} where id = ${made.id}`));
      expect(sqlState(await revived.catch((e: unknown) => e))).toBe("23514");
    }
    expect(await authenticateApiKey(serviceDb(), made.secret)).toBe("api_key_revoked");
  });

  it("a secret of the wrong shape is refused without a look-up", async () => {
    expect(await authenticateApiKey(serviceDb(), "lip_short")).toBe("invalid_api_key");
    expect(await authenticateApiKey(serviceDb(), "Bearer something")).toBe("invalid_api_key");
  });
});

describe("a key row written directly by an admin's own session (the Data API)", () => {
  /** A key row inserted as the admin, backdated and marked used, with its audit entry written too or not. */
  const direct = (audited: boolean) => {
    const admin = fx.a.members.admin;
    return asUser(admin, async (tx) => {
      const [row] = await tx.execute<{ id: string }>(sql`
        insert into public.api_keys (workspace_id, name, scope, prefix, secret_hash, created_by, created_at, last_used_at)
        values (${fx.a.id}, ${`Direct ${Math.random()}`}, 'read_write', 'lip_direct', ${hashApiKeySecret(`lip_direct_${Math.random()}`)},
                ${admin.id}, '2001-01-01', '2001-01-02')
        returning id`);
      if (audited) {
        await tx.execute(
          sql`select private.record_audit(${fx.a.id}::uuid, ${admin.id}::uuid, 'api_key.created', 'api_key', ${row!.id}, '{}'::jsonb)`,
        );
      }
      return row!.id;
    });
  };

  it("is refused at commit without its entry in the audit log", async () => {
    const error = await direct(false).then(
      () => null,
      (e: { cause?: { message?: string } }) => e.cause?.message ?? String(e),
    );
    expect(error).toMatch(/an API key is made in Settings → API, which records it in the audit log/);
  });

  it("is dated now and never used, whatever it says", async () => {
    const id = await direct(true);
    const [key] = await serviceDb().execute<{ fresh: boolean; last_used_at: string | null }>(
      sql`select created_at > now() - interval '1 minute' as fresh, last_used_at from public.api_keys where id = ${id}`,
    );
    expect(key).toEqual({ fresh: true, last_used_at: null });
  });
});

describe("a revoked key and its revoker's account", () => {
  it("lets the revoker's account be deleted, the key staying revoked; no one else may clear who revoked it", async () => {
    const revoker = await addTestMember(fx.a, "admin", "Ré Voker");
    const made = await createTestApiKey(fx.a, "read");
    await asUser(revoker, (tx) => revokeApiKey(tx, actorOf(revoker), { keyId: made.id }));
    const cleared = await serviceDb()
      .execute(sql`update public.api_keys set revoked_by = null where id = ${made.id}`)
      .catch((error: unknown) => sqlState(error));
    expect(cleared).toBe("23514");
    await serviceDb().execute(sql`delete from auth.users where id = ${revoker.id}`);
    const [key] = await serviceDb().execute<{ revoked: boolean; revoked_by: string | null }>(
      sql`select revoked_at is not null as revoked, revoked_by from public.api_keys where id = ${made.id}`,
    );
    expect(key).toEqual({ revoked: true, revoked_by: null });
    expect(await authenticateApiKey(serviceDb(), made.secret)).toBe("api_key_revoked");
  });
});

describe("a key whose creator's account is suspended or deleted", () => {
  it("is listed as inactive, not active, and active again once a ban has passed; the question is an admin's only", async () => {
    const maker = await addTestMember(fx.a, "admin", "Bánned Maker");
    const made = await createTestApiKey(fx.a, "read", { creator: maker });
    const admin = fx.a.members.admin;
    const listedActive = async () =>
      (await asUser(admin, (tx) => listApiKeys(tx, actorOf(admin)))).find((k) => k.id === made.id)?.creatorActive;
    expect(await listedActive()).toBe(true);
    await serviceDb().execute(sql`update auth.users set banned_until = now() + interval '1 hour' where id = ${maker.id}`);
    expect(await authenticateApiKey(serviceDb(), made.secret)).toBe("api_key_inactive");
    expect(await listedActive()).toBe(false);
    // Another admin's workspace, or a lower role of this one, learns nothing of it.
    const ask = (member: TenancyMember) =>
      asUser(member, (tx) => tx.execute<{ id: string }>(sql`select id from private.api_keys_of_inactive_creators(${fx.a.id}::uuid) id`));
    expect((await ask(admin)).map((r) => r.id)).toContain(made.id);
    expect(await ask(fx.a.members.manager)).toEqual([]);
    expect(await ask(fx.b.members.admin)).toEqual([]);
    await serviceDb().execute(sql`update auth.users set banned_until = now() - interval '1 second' where id = ${maker.id}`);
    expect(await listedActive()).toBe(true);
    await serviceDb().execute(sql`update auth.users set deleted_at = now() where id = ${maker.id}`);
    expect(await listedActive()).toBe(false);
  });

  it("is listed as inactive when its creator is no longer a member (a key from before removals revoked keys, 0141)", async () => {
    const made = await createTestApiKey(fx.a, "read", { creator: await addTestMember(fx.a, "admin", "Léft Before") });
    // As such a key stands: its creator a member of another workspace only, the key never revoked.
    await serviceDb().execute(sql`update public.api_keys set created_by = ${fx.b.members.admin.id} where id = ${made.id}`);
    expect(await authenticateApiKey(serviceDb(), made.secret)).toBe("api_key_inactive");
    const admin = fx.a.members.admin;
    const row = (await asUser(admin, (tx) => listApiKeys(tx, actorOf(admin)))).find((k) => k.id === made.id);
    expect(row).toMatchObject({ revokedAt: null, creatorActive: false });
  });
});

describe("a member who made keys and is removed from the workspace", () => {
  it("has every key they made revoked with the removal, so adding them again wakes none", async () => {
    const maker = await addTestMember(fx.a, "admin", "Kéy Maker");
    const made = await createTestApiKey(fx.a, "read_write", { creator: maker });
    const admin = fx.a.members.admin;
    await asUser(admin, (tx) => removeMember(tx, { workspaceId: fx.a.id, actorId: admin.id, memberId: maker.memberId }));
    await serviceDb().insert(workspaceMembers).values({ workspaceId: fx.a.id, userId: maker.id, role: "sales_rep" });

    expect(await authenticateApiKey(serviceDb(), made.secret)).toBe("api_key_revoked");
    const listed = await asUser(admin, (tx) => listApiKeys(tx, actorOf(admin)));
    expect(listed.find((k) => k.id === made.id)?.revokedAt).not.toBeNull();
    const [audited] = await serviceDb()
      .select({ actorId: auditLog.actorId, metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.action, "api_key.revoked"), eq(auditLog.targetId, made.id)));
    expect(audited).toEqual({ actorId: admin.id, metadata: { name: expect.any(String), reason: "creator removed from the workspace" } });
  });

  it("has them revoked too when an admin's own session deletes the membership directly (the Data API)", async () => {
    const maker = await addTestMember(fx.a, "admin", "Zoë Direct");
    const made = await createTestApiKey(fx.a, "read", { creator: maker });
    const admin = fx.a.members.admin;
    await asUser(admin, (tx) => tx.execute(sql`delete from public.workspace_members where id = ${maker.memberId}`));
    await serviceDb().insert(workspaceMembers).values({ workspaceId: fx.a.id, userId: maker.id, role: "admin" });
    expect(await authenticateApiKey(serviceDb(), made.secret)).toBe("api_key_revoked");
    const [audited] = await serviceDb()
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "api_key.revoked"), eq(auditLog.targetId, made.id)));
    expect(audited).toEqual({ actorId: admin.id });
  });

  it("does not stop a workspace being deleted with its members and keys", async () => {
    const ws = await createTestWorkspace(serviceDb(), {
      name: `Doomed ${Math.random()}`,
      people: { admin: "Ana D", manager: "Bo D", sales_rep: "Cy D", analyst: "Di D", viewer: "Ed D" },
    });
    await createTestApiKey(ws, "read");
    await serviceDb().execute(sql`delete from public.workspaces where id = ${ws.id}`);
    const [left] = await serviceDb().execute<{ n: number }>(sql`select count(*)::int n from public.api_keys where workspace_id = ${ws.id}`);
    expect(left!.n).toBe(0);
  });
});

describe("names written around the forms", () => {
  it("refuses a workspace's or a key's name holding a control character or direction mark, even from an admin's own session", async () => {
    const admin = fx.a.members.admin;
    const refusal = (query: ReturnType<typeof sql>) =>
      asUserRolledBack(admin, (tx) => tx.execute(query)).then(
        () => "allowed",
        (error: { cause?: unknown }) => String(error.cause ?? error),
      );
    expect(await refusal(sql`update public.workspaces set name = ${"Acme\u001b[2J"} where id = ${fx.a.id}`)).toMatch(
      /workspaces_name_showable/,
    );
    expect(await refusal(sql`update public.workspaces set name = ${"Acme\u202Etxt.exe"} where id = ${fx.a.id}`)).toMatch(
      /workspaces_name_showable/,
    );
    expect(await refusal(sql`update public.workspaces set name = 'Équipe Zoë 東京' where id = ${fx.a.id}`)).toBe("allowed");
    expect(
      await refusal(sql`
        insert into public.api_keys (workspace_id, name, scope, prefix, secret_hash, created_by)
        values (${fx.a.id}, ${"CRM\nsync"}, 'read', 'lip_named', ${hashApiKeySecret(`lip_named_${Math.random()}`)}, ${admin.id})`),
    ).toMatch(/api_keys_name_showable/);
  });
});
