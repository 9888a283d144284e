import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";

/**
 * Resend's Idempotency-Key (vendors/instantly-resend.md §2.3): keys live 24 hours; the same key
 * with the same payload answers the first response without sending again; with another payload,
 * 409 invalid_idempotent_request. (Resend also answers 409 concurrent_idempotent_requests while
 * the first request is being handled; here the key is written with its message in one
 * statement, so a repeat waits for the first to commit and gets its answer.)
 */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

export type IdempotentRequest = { key: string; requestHash: string };

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

/** What a key already names: its first message, if the payload is the same. */
export async function earlierAnswer(
  request: IdempotentRequest,
): Promise<{ kind: "replay"; messageId: string } | { kind: "mismatch" } | null> {
  const [existing] = await serviceDb().execute<{ request_hash: string; message_id: string }>(
    sql`select request_hash, message_id from local.outbox_idempotency_keys where key = ${request.key}`,
  );
  if (!existing) return null;
  return existing.request_hash === request.requestHash ? { kind: "replay", messageId: existing.message_id } : { kind: "mismatch" };
}
