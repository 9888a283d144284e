import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { emailEvents } from "@/db/schema";
import type { EmailEventType } from "@/db/schema/campaign-enums";

/** What is kept of a provider's event data: all of it, unless it is oddly large. */
const MAX_PAYLOAD_CHARS = 16_000;

function keptPayload(data: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(data);
  if (text.length <= MAX_PAYLOAD_CHARS) return data;
  return { truncated: true, keys: Object.keys(data).slice(0, 50) };
}

/**
 * Appends one event to a message's history, once per provider delivery (svix-id): returns
 * false when that delivery was recorded already, so its effects are not applied twice.
 */
export async function recordEmailEvent(
  tx: Executor,
  event: {
    workspaceId: string;
    messageId: string | null;
    type: EmailEventType;
    occurredAt: Date;
    providerEventId: string;
    data: Record<string, unknown>;
  },
): Promise<boolean> {
  const inserted = await tx
    .insert(emailEvents)
    .values({
      workspaceId: event.workspaceId,
      messageId: event.messageId,
      type: event.type,
      occurredAt: event.occurredAt,
      providerEventId: event.providerEventId,
      payload: keptPayload(event.data),
    })
    .onConflictDoNothing({ target: emailEvents.providerEventId, where: sql`${emailEvents.providerEventId} is not null` })
    .returning({ id: emailEvents.id });
  return inserted.length > 0;
}
