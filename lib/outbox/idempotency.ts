import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";

/**
 * Resend's Idempotency-Key (vendors/instantly-resend.md §2.3): keys live 24 hours; the same key
 * with the same payload answers the first response without sending again; with another payload,
 * 409 invalid_idempotent_request; while the first request is still being handled, 409
 * concurrent_idempotent_requests (safe to retry later).
 */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** A claim never completed this long after it was made belongs to a request that died: taken over. */
export const ABANDONED_CLAIM_SECONDS = 60;

export type IdempotencyClaim = { kind: "claimed" } | { kind: "replay"; messageId: string } | { kind: "mismatch" } | { kind: "in_flight" };

/** The payload's fingerprint: the parsed JSON with its keys sorted, so spacing and key order do not matter. */
export function requestHash(payload: unknown): string {
  return createHash("sha256").update(canonicalJson(payload)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Claims `key` for this request, committed at once so a concurrent request with the same key
 * sees it in flight. An expired key, or an abandoned claim, is taken over.
 */
export async function claimIdempotencyKey(key: string, hash: string): Promise<IdempotencyClaim> {
  const db = serviceDb();
  const claimed = await db.execute<{ key: string }>(sql`
    insert into local.outbox_idempotency_keys as k (key, request_hash) values (${key}, ${hash})
    on conflict (key) do update set request_hash = excluded.request_hash, message_id = null, created_at = now()
      where k.created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})
         or (k.message_id is null and k.created_at < now() - make_interval(secs => ${ABANDONED_CLAIM_SECONDS}))
    returning key`);
  if (claimed.length > 0) return { kind: "claimed" };
  const [existing] = await db.execute<{ request_hash: string; message_id: string | null }>(
    sql`select request_hash, message_id from local.outbox_idempotency_keys where key = ${key}`,
  );
  // Gone between the two statements (expired and removed): a retry will claim it.
  if (!existing) return { kind: "in_flight" };
  if (existing.request_hash !== hash) return { kind: "mismatch" };
  return existing.message_id ? { kind: "replay", messageId: existing.message_id } : { kind: "in_flight" };
}

/** Frees a claim whose request failed before storing anything, so a retry is not told it is in flight. */
export async function releaseIdempotencyKey(key: string): Promise<void> {
  await serviceDb().execute(sql`delete from local.outbox_idempotency_keys where key = ${key} and message_id is null`);
}
