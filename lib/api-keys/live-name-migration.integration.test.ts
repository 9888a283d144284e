import { readFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * Migration 0120 on a workspace that already had live keys of one name: in a transaction rolled
 * back, the unique index is dropped, such keys are written, and the migration's own statements
 * run. The first of each name keeps it, the later ones get a number, revoked keys are left alone.
 */
let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(async () => {
  await removeTenancyFixture(fx, serviceDb());
});

class RolledBack extends Error {}

it("numbers the later live keys of a repeated name, whatever its case, and builds the index", async () => {
  const migration = await readFile(path.resolve("db/migrations/0120_api_key_names_unique.sql"), "utf8");
  const ws = fx.a;
  let names: { name: string; revoked: boolean }[] = [];
  await withServiceTx(async (tx) => {
    await tx.execute(sql`drop index public.api_keys_live_name_key`);
    const key = (name: string, minutes: number, revoked = false) => sql`
      (${ws.id}, ${name}, 'read', 'lip_abcdef', ${randomBytes(32).toString("hex")}, ${ws.members.admin.id},
       now() - make_interval(mins => ${minutes}), ${revoked ? sql`now()` : sql`null`})`;
    await tx.execute(sql`insert into public.api_keys (workspace_id, name, scope, prefix, secret_hash, created_by, created_at, revoked_at)
      values ${sql.join([key("CRM sync", 30), key("crm SYNC", 20), key("CRM sync", 10), key("CRM sync", 40, true), key("Zapier", 5)], sql`, `)}`);
    for (const statement of migration.split("--> statement-breakpoint")) await tx.execute(sql.raw(statement));
    names = (
      await tx.execute<{ name: string; revoked: boolean }>(sql`
        select name, revoked_at is not null as revoked from public.api_keys where workspace_id = ${ws.id} order by created_at`)
    ).map((r) => ({ ...r }));
    throw new RolledBack();
  }).catch((error: unknown) => {
    if (!(error instanceof RolledBack)) throw error;
  });
  expect(names).toEqual([
    { name: "CRM sync", revoked: true },
    { name: "CRM sync", revoked: false },
    { name: "crm SYNC (2)", revoked: false },
    { name: "CRM sync (3)", revoked: false },
    { name: "Zapier", revoked: false },
  ]);
});
