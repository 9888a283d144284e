import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { createFreshDatabase } from "@/tests/fixtures/fresh-database";
import { DEMO_USERS } from "./demo-data";
import { seedDemoDataOnce } from "./seed-once";

// supabase-js needs a WebSocket, which Node 20 has only behind a flag (STACK-NOTES.md).
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
beforeAll(async () => {
  fresh = await createFreshDatabase(process.env.DATABASE_URL!);
  process.env.DATABASE_URL = fresh.url;
});
afterAll(() => fresh.drop());

const authAdmin = () => createSupabaseAdminClient({ fetch: embeddedAuthFetch });

async function demoState() {
  const users = await serviceDb().execute<{ email: string; memberships: number }>(sql`
    select u.email, (select count(*) from public.workspace_members m where m.user_id = u.id)::int as memberships
    from auth.users u order by u.email`);
  return Object.fromEntries(users.map((u) => [u.email, u.memberships]));
}

describe("seedDemoDataOnce", () => {
  it("seeds a database once: a deleted demo user or membership stays deleted on the next start", async () => {
    expect(await seedDemoDataOnce(serviceDb(), authAdmin())).toMatchObject({ seeded: true });
    expect(Object.keys(await demoState()).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());

    // What an operator does: delete the rep's account and take the viewer out of the workspace.
    const [rep] = await serviceDb().execute<{ id: string }>(sql`select id from auth.users where email = 'rep@acme.test'`);
    const { error } = await authAdmin().auth.admin.deleteUser(rep!.id);
    expect(error).toBeNull();
    await serviceDb().execute(sql`
      delete from public.workspace_members where user_id = (select id from auth.users where email = 'viewer@acme.test')`);

    // The next start.
    const again = await seedDemoDataOnce(serviceDb(), authAdmin());
    expect(again).toMatchObject({ seeded: false });
    expect(await demoState()).toEqual({ "admin@acme.test": 1, "admin@globex.test": 1, "viewer@acme.test": 0 });
  });

  it("seeds again when asked to (npm run db:seed)", async () => {
    expect(await seedDemoDataOnce(serviceDb(), authAdmin(), { force: true })).toMatchObject({ seeded: true });
    expect(await demoState()).toEqual({ "admin@acme.test": 1, "admin@globex.test": 1, "rep@acme.test": 1, "viewer@acme.test": 1 });
  });
});
