import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb, withServiceTx, type Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import type { SandboxVendor } from "@/lib/integrations/accounts/schemas";

/**
 * What a user does in a vendor sandbox (campaigns and leads pushed to the Instantly sandbox, its
 * webhooks, PhantomBuster agent launches), kept in PostgreSQL (migration 0073) so that a restart
 * of the app keeps it while our own tables still point at it, and so that every process of the
 * app (Next, the job executor, several instances) serves the same sandbox. The sample data itself
 * stays generated in code. A row is one thing a vendor would keep: keyed by workspace (the
 * sandbox key names it), vendor, kind and the vendor's id, with its JSON as the vendor shows it.
 *
 * In `private` with RLS forced, no policy and no grant (like private.rate_limits): only the
 * service connection reaches it; the sandbox routes check the sandbox key before they do.
 */
/** One workspace's sandbox of one vendor. `workspace` is its id, with or without dashes (sandbox keys carry it without). */
export type SandboxScope = { workspace: string; vendor: SandboxVendor };

type Payload = Record<string, unknown>;

function workspaceIdOf(scope: SandboxScope): string {
  const hex = scope.workspace.replace(/-/g, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error("A sandbox scope names its workspace by id");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const where = (scope: SandboxScope, kind: string) =>
  sql`workspace_id = ${workspaceIdOf(scope)}::uuid and vendor = ${scope.vendor}::public.integration_vendor and kind = ${kind}`;

/** Everything of a kind in the sandbox, in the order it was added. */
export async function listSandboxState<T extends Payload>(scope: SandboxScope, kind: string, db: Executor = serviceDb()): Promise<T[]> {
  const rows = await db.execute<{ payload: T }>(sql`
    select payload from private.integration_sandbox_state where ${where(scope, kind)} order by position`);
  return rows.map((r) => r.payload);
}

/** Those whose top-level `field` is one of `values` (compared as text), in the order they were added. */
export async function listSandboxStateWhere<T extends Payload>(
  scope: SandboxScope,
  kind: string,
  field: string,
  values: string[],
  db: Executor = serviceDb(),
): Promise<T[]> {
  if (values.length === 0) return [];
  const rows = await db.execute<{ payload: T }>(sql`
    select payload from private.integration_sandbox_state
    where ${where(scope, kind)} and payload->>${field}::text = any(${pgArray(values)}::text[]) order by position`);
  return rows.map((r) => r.payload);
}

export async function findSandboxState<T extends Payload>(
  scope: SandboxScope,
  kind: string,
  id: string,
  db: Executor = serviceDb(),
): Promise<T | null> {
  const [row] = await db.execute<{ payload: T }>(sql`
    select payload from private.integration_sandbox_state where ${where(scope, kind)} and id = ${id}`);
  return row?.payload ?? null;
}

/**
 * Adds things (their ids new), in order, in one statement. Nothing is added (and false returned)
 * when the workspace is gone: its sandbox key still verifies, but it has no sandbox any more.
 */
export async function addSandboxState(
  scope: SandboxScope,
  kind: string,
  items: { id: string; payload: Payload }[],
  db: Executor = serviceDb(),
): Promise<boolean> {
  if (items.length === 0) return true;
  const rows = await db.execute<{ id: string }>(sql`
    insert into private.integration_sandbox_state (workspace_id, vendor, kind, id, payload)
    select w.id, ${scope.vendor}::public.integration_vendor, ${kind}, item.value->>'id', item.value->'payload'
    from public.workspaces w
    cross join lateral jsonb_array_elements(${JSON.stringify(items)}::jsonb) with ordinality as item(value, n)
    where w.id = ${workspaceIdOf(scope)}::uuid
    order by item.n
    returning id`);
  return rows.length === items.length;
}

/**
 * Adds one thing whose id is a number the store hands out (PhantomBuster's container ids):
 * `base` plus the row's position, unique across processes. Null when the workspace is gone.
 */
export async function addNumberedSandboxState(
  scope: SandboxScope,
  kind: string,
  base: number,
  payload: (id: string) => Payload,
  db: Executor = serviceDb(),
): Promise<string | null> {
  const [next] = await db.execute<{ position: string }>(
    sql`select nextval(pg_get_serial_sequence('private.integration_sandbox_state', 'position'))::text as position`,
  );
  const id = String(BigInt(base) + BigInt(next!.position));
  const rows = await db.execute<{ id: string }>(sql`
    insert into private.integration_sandbox_state (workspace_id, vendor, kind, id, payload, position)
    select w.id, ${scope.vendor}::public.integration_vendor, ${kind}, ${id}, ${JSON.stringify(payload(id))}::jsonb, ${next!.position}::bigint
    from public.workspaces w where w.id = ${workspaceIdOf(scope)}::uuid
    returning id`);
  return rows.length ? id : null;
}

/** Merges `patch` into a thing's JSON (top-level keys); its new JSON, or null when there is no such thing. */
export async function patchSandboxState<T extends Payload>(
  scope: SandboxScope,
  kind: string,
  id: string,
  patch: Payload,
  db: Executor = serviceDb(),
): Promise<T | null> {
  const [row] = await db.execute<{ payload: T }>(sql`
    update private.integration_sandbox_state set payload = payload || ${JSON.stringify(patch)}::jsonb, updated_at = now()
    where ${where(scope, kind)} and id = ${id} returning payload`);
  return row?.payload ?? null;
}

/** Removes a thing; what it was, or null when there was no such thing. */
export async function deleteSandboxState<T extends Payload>(
  scope: SandboxScope,
  kind: string,
  id: string,
  db: Executor = serviceDb(),
): Promise<T | null> {
  const [row] = await db.execute<{ payload: T }>(sql`
    delete from private.integration_sandbox_state where ${where(scope, kind)} and id = ${id} returning payload`);
  return row?.payload ?? null;
}

/** Keeps only the newest `keep` things of a kind (a vendor's history is not endless either). */
export async function trimSandboxState(scope: SandboxScope, kind: string, keep: number, db: Executor = serviceDb()): Promise<void> {
  await db.execute(sql`
    delete from private.integration_sandbox_state where ${where(scope, kind)} and position < (
      select position from private.integration_sandbox_state where ${where(scope, kind)} order by position desc offset ${keep - 1} limit 1)`);
}

/**
 * Runs `work` in a transaction holding the lock of one kind of one workspace's sandbox, so that a
 * read-then-write (adding leads unless already there) is not raced by another request or process.
 */
export async function withSandboxLock<T>(scope: SandboxScope, kind: string, work: (tx: Executor) => Promise<T>): Promise<T> {
  return withServiceTx(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`integration-sandbox:${workspaceIdOf(scope)}:${scope.vendor}:${kind}`}, 0))`,
    );
    return work(tx);
  });
}
