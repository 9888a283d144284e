import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db";
import { emailMessages } from "@/db/schema";

export type FunnelColumn = "deliveredAt" | "openedAt" | "clickedAt" | "bouncedAt" | "complainedAt" | "repliedAt";

/**
 * Sets a message's funnel timestamp unless it is set already (the funnel counts the first time
 * each happened); true when this was the first time.
 */
export async function markFirstTime(
  tx: Executor,
  message: { id: string; workspaceId: string },
  column: FunnelColumn,
  at: Date,
  extra: { bounceType?: "hard" } = {},
): Promise<boolean> {
  const updated = await tx
    .update(emailMessages)
    .set({ [column]: at, ...extra })
    .where(and(eq(emailMessages.id, message.id), eq(emailMessages.workspaceId, message.workspaceId), isNull(emailMessages[column])))
    .returning({ id: emailMessages.id });
  return updated.length > 0;
}
