import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { formatLocalDate, localDateOf, nextLocalDayStart } from "@/lib/sending/window";

export type ReserveSendInput = {
  workspaceId: string;
  identityId: string;
  /** The identity's cap as read in this transaction (sending_identities.daily_cap). */
  dailyCap: number;
  /** The identity's own zone: its day is the one the cap counts. */
  identityTimeZone: string;
  at: Date;
};

/** `day` is the identity's local date the send counted against (email_messages.cap_day). */
export type Reservation = { ok: true; day: string } | { ok: false; retryAt: Date };

/**
 * Takes one place under the mailbox's daily cap, across every campaign sending from it, in ONE
 * statement: the row is created at 1, or raised by 1 only while it is below the cap. Two
 * transactions racing for the last place serialise on the row lock and the second re-checks
 * `sent < cap` against the first's committed count (ON CONFLICT … DO UPDATE … WHERE under READ
 * COMMITTED), so the cap holds whatever runs in parallel. Call it in the transaction that
 * writes the message row: a rollback returns the place. Full → `retryAt`, the start of the
 * identity's next day (the caller moves that into the lead's sending window).
 */
export async function reserveSend(tx: Executor, input: ReserveSendInput): Promise<Reservation> {
  const date = localDateOf(input.at, input.identityTimeZone);
  const day = formatLocalDate(date);
  const rows = await tx.execute<{ sent: number }>(reservationStatement(input, day));
  if (rows.length > 0) return { ok: true, day };
  return { ok: false, retryAt: new Date(nextLocalDayStart(date, input.identityTimeZone)) };
}

/** The identity's local date a send at `input.at` counts against (email_messages.cap_day). */
export function capDay(input: Pick<ReserveSendInput, "at" | "identityTimeZone">): string {
  return formatLocalDate(localDateOf(input.at, input.identityTimeZone));
}

/** reserveSend's statement: `sent` when the place was taken, no row when the cap is full (or the cap is below 1). */
export function reservationStatement(input: ReserveSendInput, day: string): SQL {
  return sql`
    insert into public.sending_identity_usage as usage (workspace_id, identity_id, day, sent)
    select ${input.workspaceId}::uuid, ${input.identityId}::uuid, ${day}::date, 1
    where ${input.dailyCap} >= 1
    on conflict (identity_id, day) do update set sent = usage.sent + 1
      where usage.sent < ${input.dailyCap} and usage.workspace_id = ${input.workspaceId}
    returning sent`;
}

/**
 * Gives back the place a message reserved when it ends up not sent (skipped after reserving,
 * refused by the provider). Call it once per message, in the transaction that moves the
 * message out of `sending` and clears its cap_day, so a retried step cannot give it back twice.
 */
export async function releaseSend(tx: Executor, input: { workspaceId: string; identityId: string; day: string }): Promise<void> {
  await tx.execute(sql`
    update public.sending_identity_usage set sent = sent - 1
    where workspace_id = ${input.workspaceId} and identity_id = ${input.identityId} and day = ${input.day}::date and sent > 0`);
}
