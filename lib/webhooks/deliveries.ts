import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { recordAudit } from "@/lib/audit/record-audit";
import { notFound } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { assertWebhooksManager, type WebhookActor } from "./endpoints";
import type { WebhookDeliveryStatus } from "./event-types";
import { webhookIdOf } from "./signing";

export type WebhookDeliveryView = {
  id: string;
  webhookId: string;
  endpointId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
};

export type WebhookAttemptView = {
  attempt: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  manual: boolean;
  attemptedAt: Date;
};

type DeliveryRow = {
  id: string;
  endpoint_id: string;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string;
  created_at: string;
  completed_at: string | null;
};

/** The delivery log of one endpoint, newest first (the workspace's admins; RLS checks again). */
export async function listWebhookDeliveries(
  tx: Database,
  actor: WebhookActor,
  { endpointId, limit = 50 }: { endpointId: string; limit?: number },
): Promise<WebhookDeliveryView[]> {
  assertWebhooksManager(actor);
  const rows = await tx.execute<DeliveryRow>(sql`
    select d.id, d.endpoint_id, ev.type, d.status, d.attempts, d.last_status_code, d.last_error,
           d.next_attempt_at, d.created_at, d.completed_at
    from webhook_deliveries d join webhook_events ev on ev.id = d.event_id
    where d.workspace_id = ${actor.workspaceId} and d.endpoint_id = ${endpointId}
    order by d.created_at desc, d.id desc
    limit ${Math.min(Math.max(limit, 1), 200)}`);
  return rows.map((r) => ({
    id: r.id,
    webhookId: webhookIdOf(r.id),
    endpointId: r.endpoint_id,
    eventType: r.type,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: r.status === "pending" ? new Date(r.next_attempt_at) : null,
    createdAt: new Date(r.created_at),
    completedAt: r.completed_at ? new Date(r.completed_at) : null,
  }));
}

/** Every attempt of one delivery: status code or error, time taken. */
export async function listWebhookAttempts(tx: Database, actor: WebhookActor, deliveryId: string): Promise<WebhookAttemptView[]> {
  assertWebhooksManager(actor);
  const rows = await tx.execute<{
    attempt: number;
    ok: boolean;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
    manual: boolean;
    attempted_at: string;
  }>(sql`
    select attempt, ok, status_code, error, duration_ms, manual, attempted_at
    from webhook_delivery_attempts
    where workspace_id = ${actor.workspaceId} and delivery_id = ${deliveryId}
    order by attempt`);
  return rows.map((r) => ({
    attempt: r.attempt,
    ok: r.ok,
    statusCode: r.status_code,
    error: r.error,
    durationMs: r.duration_ms,
    manual: r.manual,
    attemptedAt: new Date(r.attempted_at),
  }));
}

/**
 * Sends a delivery again now, with the same webhook-id (receivers deduplicate on it). One
 * attempt for a delivery that has finished (succeeded or failed); a pending one keeps its
 * retries and is only brought forward. A lease still running is kept: the delivery is being
 * sent right now, and freeing it would let another run send it a second time at once. The job
 * is asked once the transaction commits.
 */
export async function redeliverWebhook(tx: Database, actor: WebhookActor, deliveryId: string): Promise<void> {
  assertWebhooksManager(actor);
  const [row] = await tx.execute<{ id: string }>(sql`
    update webhook_deliveries set
      max_attempts = case when status = 'pending' then max_attempts else attempts + 1 end,
      status = 'pending', next_attempt_at = now(), completed_at = null,
      lease_until = case when lease_until > now() then lease_until end
    where id = ${deliveryId} and workspace_id = ${actor.workspaceId}
    returning id`);
  if (!row) throw notFound("That delivery");
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "webhook_delivery.redelivered",
    targetType: "webhook_delivery",
    targetId: deliveryId,
  });
  afterCommit(tx, "webhook redelivery", () => requestWebhookDelivery(actor.workspaceId).then(() => {}));
}

/** Asks the delivery job to run now (the job claims whatever is due in every workspace). */
export function requestWebhookDelivery(workspaceId: string | null) {
  return sendEvent({
    name: "webhooks/deliveries.due",
    data: { workspaceId },
    id: `webhooks-due-${workspaceId ?? "all"}-${Date.now()}`,
  });
}
