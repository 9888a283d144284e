import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { capDay } from "./reserve-send";

/** A mailbox's day at some instant as its cap counts it, and what is sent or reserved on it. */
export type UsedToday = { day: string; used: number };

/**
 * What each mailbox has already sent or reserved against its daily cap on its "today" at `at`:
 * the day a send at that instant would count against (capDay: the date in the identity's own
 * time zone, as reserveSend counts it), read from the counter reserveSend raises and releaseSend
 * lowers, across every campaign using the mailbox. 0 when it has sent nothing yet that day.
 */
export async function readUsedToday(
  tx: Executor,
  { workspaceId, identities, at }: { workspaceId: string; identities: readonly { id: string; timeZone: string }[]; at: Date },
): Promise<Map<string, UsedToday>> {
  const days = identities.map((i) => capDay({ at, identityTimeZone: i.timeZone }));
  const result = new Map(identities.map((i, n) => [i.id, { day: days[n]!, used: 0 }]));
  if (identities.length === 0) return result;
  const rows = await tx.execute<{ identity_id: string; sent: number }>(sql`
    select u.identity_id, u.sent from unnest(${sql.param(identities.map((i) => i.id))}::uuid[], ${sql.param(days)}::text[]) as q(identity_id, day)
    join public.sending_identity_usage u on u.identity_id = q.identity_id and u.day = q.day::date and u.workspace_id = ${workspaceId}`);
  for (const row of rows) result.get(row.identity_id)!.used = Number(row.sent);
  return result;
}
