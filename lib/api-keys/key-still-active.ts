import "server-only";
import { sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import type { Executor } from "@/db";

/**
 * A key is checked when its request arrives, but a body may take minutes to arrive after that (a
 * 50 MB CSV, or JSON sent slowly on purpose). Every write made with a key asks again in its own
 * transaction, just before it commits, so that revoking a key (or its expiry), or its creator
 * leaving the workspace or being banned, stops whatever it has not written yet, rather than
 * whatever it has not started.
 */
export const KEY_WITHDRAWN_MESSAGE = "It stopped working while the request was on its way, so nothing was changed.";

/** In a transaction acting with a key's claims (withUserTx): whether that key still works (migration 0123). */
export async function apiKeyStillActive(tx: Executor): Promise<boolean> {
  const [row] = await tx.execute<{ active: boolean | null }>(sql`select private.api_key_still_active() as active`);
  return row?.active === true;
}

/** The same on the service connection (the bulk upsert's own transaction), by the key's id. */
export async function apiKeyStillActiveById(tx: TransactionSql, keyId: string): Promise<boolean> {
  const rows = await tx`select 1 from public.api_keys a
    join public.workspace_members m on m.workspace_id = a.workspace_id and m.user_id = a.created_by
    join auth.users u on u.id = a.created_by
    where a.id = ${keyId} and a.revoked_at is null and (a.expires_at is null or a.expires_at > now())
      and u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())`;
  return rows.length > 0;
}
