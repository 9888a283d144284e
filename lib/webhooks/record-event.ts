import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { WebhookEventType } from "./event-types";

/**
 * Records an outgoing webhook event from application code, in the caller's transaction, through
 * the same outbox function the triggers use (migration 0059): nothing is written unless an
 * enabled endpoint of the workspace subscribes to `type`, and a rollback leaves nothing. For
 * changes that no trigger sees (an Instantly reply or bounce reaching a lead, which writes no
 * email_messages row of ours).
 */
export async function recordWebhookEvent(
  tx: Executor,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  await tx.execute(sql`select private.record_webhook_event(${workspaceId}::uuid, ${type}, ${JSON.stringify(data)}::jsonb)`);
}
