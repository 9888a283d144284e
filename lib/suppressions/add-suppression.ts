import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { suppressions, type SuppressionKind, type SuppressionReason } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { normaliseSuppression, SUPPRESSION_NOTE_MAX } from "./normalise";

export type NewSuppression = {
  workspaceId: string;
  kind: SuppressionKind;
  /** As received: trimmed and lower-cased here (`@example.com` is the domain example.com). */
  value: string;
  reason: SuppressionReason;
  note?: string | null;
  /** The person who added it; null for a job or webhook (the reason then says which). */
  createdBy?: string | null;
};

export type AddedSuppression = { id: string; kind: SuppressionKind; value: string; reason: SuppressionReason; created: boolean };

/**
 * Puts an address or a domain on the workspace's suppression list. Idempotent: when it is
 * there already (same kind and value, however it was written) the existing entry is kept as it
 * is, first reason and note included, and returned with `created: false`; so a replayed
 * webhook or a second unsubscribe click changes nothing. Runs in the caller's transaction: on
 * the service connection for jobs and webhooks, in an admin's RLS-scoped one for the Settings
 * page (whose service checks the role first; the insert policy checks it again).
 * A value that is no address or domain throws AppError("invalid_input").
 */
export async function addSuppression(db: Executor, input: NewSuppression): Promise<AddedSuppression> {
  const normalised = normaliseSuppression(input.value, input.kind);
  if (!normalised.ok) throw new AppError("invalid_input", normalised.error, { value: [normalised.error] });
  const note = input.note?.trim() || null;
  if (note && note.length > SUPPRESSION_NOTE_MAX) {
    throw new AppError("invalid_input", `The note is too long (at most ${SUPPRESSION_NOTE_MAX} characters).`, { note: ["Too long."] });
  }
  const { kind, value } = normalised.entry;
  // `do nothing` and a read of the existing row, not `do update`: under RLS an upsert needs an
  // update policy, and nobody may edit a suppression in place (remove and add instead).
  const inserted = await db.execute<{ id: string; reason: SuppressionReason }>(sql`
    insert into ${suppressions} (workspace_id, kind, value, reason, note, created_by)
    values (${input.workspaceId}, ${kind}, ${value}, ${input.reason}, ${note}, ${input.createdBy ?? null})
    on conflict (workspace_id, kind, value) do nothing
    returning id, reason`);
  if (inserted[0]) return { id: inserted[0].id, kind, value, reason: inserted[0].reason, created: true };
  const existing = await db.execute<{ id: string; reason: SuppressionReason }>(sql`
    select id, reason from ${suppressions}
    where workspace_id = ${input.workspaceId} and kind = ${kind} and value = ${value}`);
  // Removed by someone else between the two statements: the caller's intent still holds.
  if (!existing[0]) return addSuppression(db, input);
  const row = { ...existing[0], created: false };
  return { id: row.id, kind, value, reason: row.reason, created: row.created };
}
