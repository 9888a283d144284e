import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

export type FunnelColumn = "deliveredAt" | "openedAt" | "clickedAt" | "bouncedAt" | "complainedAt" | "repliedAt";

const COLUMN_NAMES: Record<FunnelColumn, string> = {
  deliveredAt: "delivered_at",
  openedAt: "opened_at",
  clickedAt: "clicked_at",
  bouncedAt: "bounced_at",
  complainedAt: "complained_at",
  repliedAt: "replied_at",
};

/**
 * Sets a message's funnel timestamp to the first time it happened: when the column is empty,
 * or holds a later time (providers deliver webhooks out of order, so an earlier event may
 * arrive second). True when the column was empty, i.e. this is the first report of it (what
 * the lead's timeline records once). The analytics rollups follow the column (migration 0059),
 * so a late, earlier event moves the message to its right hour and a duplicate moves nothing.
 */
export async function markFirstTime(
  tx: Executor,
  message: { id: string; workspaceId: string },
  column: FunnelColumn,
  at: Date,
  extra: { bounceType?: "hard" } = {},
): Promise<boolean> {
  const name = sql.identifier(COLUMN_NAMES[column]);
  const rows = await tx.execute<{ was_empty: boolean }>(sql`
    with current as (
      select id, ${name} as before from public.email_messages
       where id = ${message.id} and workspace_id = ${message.workspaceId}
       for update
    )
    update public.email_messages m
       set ${name} = ${at.toISOString()}::timestamptz
           ${extra.bounceType ? sql`, bounce_type = ${extra.bounceType}::public.email_bounce_type` : sql``}
      from current
     where m.id = current.id and (current.before is null or current.before > ${at.toISOString()}::timestamptz)
    returning current.before is null as was_empty`);
  return rows[0]?.was_empty ?? false;
}
