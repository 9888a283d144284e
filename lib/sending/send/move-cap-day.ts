import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { MessageStatus } from "@/db/schema";
import { capDay, releaseSend, reserveSend, type Reservation } from "@/lib/sending/capacity";

/**
 * A stored message about to go to the provider again (a retry after a 429, a 5xx or no answer,
 * or a hold for the window) counts under the cap of the day it goes: its mailbox's day at `at`,
 * which after the mailbox's midnight is no longer the day it was claimed on (cap_day). Moved,
 * in the claim's transaction, with the message row locked:
 *
 * - a place of the new day is taken under that day's cap, as for a new email (reserveSend);
 *   when the day is full nothing changes, and the caller holds the message (or gives it up);
 * - the message's cap_day becomes the new day;
 * - the old day's place is given back only if no attempt of the message may have left
 *   (`queued`: every attempt was answered with a refusal). A `sending` message may have left
 *   that day under its Idempotency-Key, so it keeps that place too: it counts on both days,
 *   never on neither.
 *
 * Returns the day it now counts on (unchanged when it already was `at`'s day), the full day's
 * `retryAt`, or null when the message is no longer waiting to be sent (sent or failed meanwhile).
 */
export async function moveCapDay(
  tx: Executor,
  { workspaceId, messageId, at }: { workspaceId: string; messageId: string; at: Date },
): Promise<Reservation | null> {
  const [message] = await tx.execute<{
    status: MessageStatus;
    cap_day: string | null;
    identity_id: string;
    daily_cap: number;
    time_zone: string;
  }>(sql`
    select m.status, m.cap_day::text, m.identity_id, i.daily_cap, i.time_zone
    from public.email_messages m join public.sending_identities i on i.id = m.identity_id
    where m.id = ${messageId} and (m.workspace_id = ${workspaceId}) is true and m.status in ('queued', 'sending')
    for update of m`);
  if (!message) return null;
  const place = { workspaceId, identityId: message.identity_id, dailyCap: message.daily_cap, identityTimeZone: message.time_zone, at };
  const day = capDay(place);
  if (message.cap_day === day) return { ok: true, day };
  const givenBack = message.status === "queued" ? message.cap_day : null;
  if (givenBack) {
    // Both days' counts locked in key order, as the claims lock them: two transactions never wait on each other in a circle.
    await tx.execute(sql`select 1 from public.sending_identity_usage
      where workspace_id = ${workspaceId} and identity_id = ${message.identity_id} and day in (${givenBack}::date, ${day}::date)
      order by day for update`);
  }
  const reserved = await reserveSend(tx, place);
  if (!reserved.ok) return reserved;
  await tx.execute(sql`update public.email_messages set cap_day = ${day}::date where id = ${messageId}`);
  if (givenBack) await releaseSend(tx, { workspaceId, identityId: message.identity_id, day: givenBack });
  return reserved;
}
