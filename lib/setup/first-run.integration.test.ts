import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { AppError } from "@/lib/errors";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { createFreshDatabase } from "@/tests/fixtures/fresh-database";
import { completeFirstRunSetup, isFirstRunSetupOpen, SETUP_CLOSED_MESSAGE } from "./first-run";

// supabase-js needs a WebSocket, which Node 20 has only behind a flag (STACK-NOTES.md).
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
beforeAll(async () => {
  fresh = await createFreshDatabase(process.env.DATABASE_URL!);
  process.env.DATABASE_URL = fresh.url;
});
afterAll(() => fresh.drop());

const authAdmin = () => createSupabaseAdminClient({ fetch: embeddedAuthFetch });
const attempt = (email: string, workspaceName: string) =>
  completeFirstRunSetup(serviceDb(), authAdmin(), { email, password: "first-admin-pass", workspaceName, fullName: "Ada Admin" });

async function counts() {
  const [row] = await serviceDb().execute<{ users: number; workspaces: number; admins: number }>(sql`
    select (select count(*) from auth.users)::int as users,
           (select count(*) from public.workspaces)::int as workspaces,
           (select count(*) from public.workspace_members where role = 'admin')::int as admins`);
  return row;
}

describe("first-run setup", () => {
  it("is open on a new database, and creates the first workspace and its admin exactly once under concurrent attempts", async () => {
    expect(await isFirstRunSetupOpen(serviceDb())).toBe(true);

    const results = await Promise.allSettled([attempt("ada@first.test", "First Co"), attempt("eve@second.test", "Second Co")]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AppError);
    expect((lost[0]!.reason as AppError).code).toBe("conflict");
    expect(await counts()).toEqual({ users: 1, workspaces: 1, admins: 1 });

    const { userId, workspaceId } = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof attempt>>>).value;
    const [member] = await serviceDb().execute<{ user_id: string; role: string }>(
      sql`select user_id, role from public.workspace_members where workspace_id = ${workspaceId}`,
    );
    expect(member).toEqual({ user_id: userId, role: "admin" });
    expect(await isFirstRunSetupOpen(serviceDb())).toBe(false);
  });

  it("never runs again, not even after every user is deleted", async () => {
    await expect(attempt("mallory@third.test", "Third Co")).rejects.toThrow(SETUP_CLOSED_MESSAGE);
    await serviceDb().execute(sql`delete from public.workspaces`);
    await serviceDb().execute(sql`delete from auth.users`);
    expect(await isFirstRunSetupOpen(serviceDb())).toBe(false);
    await expect(attempt("mallory@third.test", "Third Co")).rejects.toThrow(SETUP_CLOSED_MESSAGE);
    expect((await counts())?.users).toBe(0);
  });
});
