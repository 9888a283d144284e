import "server-only";
import { sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import type { Executor } from "@/db";
import { apiKeyRefusalInTransaction } from "./authenticate-api-key";

/**
 * A key is checked when its request arrives, but a body may take minutes to arrive after that (a
 * 50 MB CSV, or JSON sent slowly on purpose). Every write made with a key asks again, first thing
 * in its own transaction, once the body is in, so that revoking a key (or its expiry), or its
 * creator leaving the workspace or being banned, stops whatever it has not written yet, rather
 * than whatever it has not started. The ask locks the creator's account and then the key
 * (migration 0145) until the write commits, so a revoke, ban or delete either commits before the
 * write starts (and refuses it) or waits for its commit.
 */
export const KEY_WITHDRAWN_MESSAGE = "It stopped working while the request was on its way, so nothing was changed.";

/** In a transaction acting with a key's claims (withUserTx): whether that key still works (migration 0123). */
export async function apiKeyStillActive(tx: Executor): Promise<boolean> {
  const [row] = await tx.execute<{ active: boolean | null }>(sql`select private.api_key_still_active() as active`);
  return row?.active === true;
}

/** The same on the service connection (the bulk upsert's own transaction), by the key's id. */
export async function apiKeyStillActiveById(tx: TransactionSql, keyId: string): Promise<boolean> {
  return (await apiKeyRefusalInTransaction(tx, keyId)) === null;
}
