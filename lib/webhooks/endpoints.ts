import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Database } from "@/db";
import { webhookEndpoints } from "@/db/schema";
import { recordAudit, type AuditEntry } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, notFound } from "@/lib/errors";
import { WEBHOOK_EVENT_TYPES } from "./event-types";
import { newSigningSecret, openSigningSecret, sealSigningSecret } from "./signing";
import { checkEndpointUrl, defaultTargetOptions, MAX_ENDPOINT_URL_LENGTH, type TargetOptions } from "./target";

export type WebhookActor = { workspaceId: string; userId: string; role: WorkspaceRole };

export const ZEndpointInput = z.object({
  url: z
    .string()
    .trim()
    .min(1, "Enter the address to send events to.")
    .max(MAX_ENDPOINT_URL_LENGTH, "The address is too long (2,000 characters at most)."),
  description: z.string().trim().max(500, "Keep the description under 500 characters.").default(""),
  eventTypes: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { message: "Choose events from the list." }))
    .min(1, "Choose at least one event.")
    .transform((types) => [...new Set(types)]),
});
export type EndpointInput = z.input<typeof ZEndpointInput>;

const VIEW = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  eventTypes: webhookEndpoints.eventTypes,
  enabled: webhookEndpoints.enabled,
  disabledReason: webhookEndpoints.disabledReason,
  disabledAt: webhookEndpoints.disabledAt,
  consecutiveFailedEvents: webhookEndpoints.consecutiveFailedEvents,
  failingSince: webhookEndpoints.failingSince,
  lastSuccessAt: webhookEndpoints.lastSuccessAt,
  secretRotatedAt: webhookEndpoints.secretRotatedAt,
  /** Until when the secret before the last rotation still signs (null: only the current one does). */
  previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
  createdAt: webhookEndpoints.createdAt,
};
export type WebhookEndpointView = {
  [K in keyof typeof VIEW]: (typeof webhookEndpoints.$inferSelect)[K];
};

const ENDPOINT = "That webhook endpoint";

export function assertWebhooksManager(actor: WebhookActor): void {
  if (!can(actor.role, "webhooks.manage")) {
    throw new AppError("forbidden", "Only an admin can manage webhooks. Ask an admin of this workspace.");
  }
}

/**
 * The form's fields, with the address checked (and looked up) as a delivery would reach it.
 * Every field's problem comes back at once: an address that will be refused is named even when
 * no event is chosen yet, so the admin does not fix one field only to meet the next.
 * `beforeLookup` runs before the address is looked up (an edit first finds its endpoint).
 */
async function checkedInput(input: EndpointInput, target: TargetOptions, beforeLookup: () => Promise<unknown> = async () => null) {
  const parsed = ZEndpointInput.safeParse(input);
  const fieldErrors = parsed.success ? {} : (z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  const address = parsed.success ? parsed.data.url : fieldErrors.url ? undefined : ZEndpointInput.shape.url.safeParse(input.url).data;
  let url: string | undefined;
  if (address !== undefined) {
    await beforeLookup();
    try {
      url = await checkEndpointUrl(address, target);
    } catch (error) {
      if (!(error instanceof AppError && error.fieldErrors?.url)) throw error;
      fieldErrors.url = error.fieldErrors.url;
    }
  }
  if (!parsed.success || url === undefined) {
    // In the form's order, the address first.
    const messages = Object.keys(ZEndpointInput.shape).flatMap((field) => fieldErrors[field] ?? []);
    throw new AppError("invalid_input", messages.join(" ") || "Check the form.", fieldErrors);
  }
  return { ...parsed.data, url };
}

/**
 * Endpoints a workspace may have. Deliveries take turns by endpoint (deliver.ts, claimDue), so a
 * workspace with hundreds of endpoints to a receiver that never answers would fill every
 * delivery round ahead of the other workspaces' events; one receiver per tool a team connects
 * needs nowhere near this many.
 */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/** Subscribes a URL; the signing secret is returned here once (an admin may reveal it again later). */
export async function createWebhookEndpoint(
  tx: Database,
  actor: WebhookActor,
  input: EndpointInput,
  target: TargetOptions = defaultTargetOptions(),
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  assertWebhooksManager(actor);
  const data = await checkedInput(input, target);
  const url = data.url;
  // Two admins adding at once count one after the other (the lock ends with the transaction).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`webhook_endpoints:${actor.workspaceId}`}, 0))`);
  const [{ count } = { count: 0 }] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, actor.workspaceId));
  if (count >= MAX_WEBHOOK_ENDPOINTS) {
    throw new AppError(
      "conflict",
      `This workspace already has ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints, the most it can have. Delete one you no longer use, or subscribe an existing endpoint to more events.`,
    );
  }
  const id = randomUUID();
  const secret = newSigningSecret();
  const sealed = sealSigningSecret(secret, actor.workspaceId, id);
  const [endpoint] = await tx
    .insert(webhookEndpoints)
    .values({
      id,
      workspaceId: actor.workspaceId,
      url,
      description: data.description,
      eventTypes: data.eventTypes,
      secretCiphertext: sealed.ciphertext,
      secretKeyId: sealed.keyId,
      createdBy: actor.userId,
    })
    .returning(VIEW);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "webhook_endpoint.created",
    targetType: "webhook_endpoint",
    targetId: id,
    metadata: { url, eventTypes: data.eventTypes },
  });
  return { endpoint: endpoint!, secret };
}

export async function listWebhookEndpoints(tx: Database, actor: WebhookActor): Promise<WebhookEndpointView[]> {
  assertWebhooksManager(actor);
  return tx
    .select(VIEW)
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, actor.workspaceId))
    .orderBy(desc(webhookEndpoints.createdAt));
}

export async function getWebhookEndpoint(tx: Database, actor: WebhookActor, endpointId: string): Promise<WebhookEndpointView> {
  assertWebhooksManager(actor);
  const [row] = await tx
    .select(VIEW)
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, actor.workspaceId)));
  if (!row) throw notFound(ENDPOINT);
  return row;
}

/**
 * Changes one endpoint of the actor's workspace and records the change in the audit log, in the
 * caller's transaction; another workspace's endpoint (or none) is not found. `updatedAt` is set
 * to `now` (give it when the change sets another timestamp, so the two match).
 */
async function changeWebhookEndpoint(
  tx: Database,
  actor: WebhookActor,
  endpointId: string,
  change: {
    set: Omit<PgUpdateSetSource<typeof webhookEndpoints>, "updatedAt">;
    action: AuditEntry["action"];
    metadata?: Record<string, unknown>;
    now?: Date;
  },
): Promise<WebhookEndpointView> {
  const now = change.now ?? new Date();
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ ...change.set, updatedAt: now })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, actor.workspaceId)))
    .returning(VIEW);
  if (!row) throw notFound(ENDPOINT);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: change.action,
    targetType: "webhook_endpoint",
    targetId: endpointId,
    ...(change.metadata ? { metadata: change.metadata } : {}),
  });
  return row;
}

export async function updateWebhookEndpoint(
  tx: Database,
  actor: WebhookActor,
  endpointId: string,
  input: EndpointInput,
  target: TargetOptions = defaultTargetOptions(),
): Promise<WebhookEndpointView> {
  assertWebhooksManager(actor);
  // Another workspace's endpoint is not found before its address is looked up.
  const data = await checkedInput(input, target, () => getWebhookEndpoint(tx, actor, endpointId));
  const url = data.url;
  return changeWebhookEndpoint(tx, actor, endpointId, {
    set: { url, description: data.description, eventTypes: data.eventTypes },
    action: "webhook_endpoint.updated",
    metadata: { url, eventTypes: data.eventTypes },
  });
}

/**
 * Disables or enables an endpoint. Enabling clears the failure count and the reason, so an
 * endpoint the job disabled starts afresh; its pending deliveries go out when due.
 */
export async function setWebhookEndpointEnabled(
  tx: Database,
  actor: WebhookActor,
  endpointId: string,
  enabled: boolean,
): Promise<WebhookEndpointView> {
  assertWebhooksManager(actor);
  const now = new Date();
  return changeWebhookEndpoint(tx, actor, endpointId, {
    now,
    set: enabled
      ? { enabled, disabledReason: null, disabledAt: null, consecutiveFailedEvents: 0, failingSince: null }
      : { enabled, disabledReason: "Disabled by an admin.", disabledAt: now },
    action: enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled",
  });
}

/** The signing secret, for an admin who needs it again (audited). */
export async function revealWebhookSecret(tx: Database, actor: WebhookActor, endpointId: string): Promise<string> {
  assertWebhooksManager(actor);
  const [row] = await tx
    .select({ ciphertext: webhookEndpoints.secretCiphertext, keyId: webhookEndpoints.secretKeyId })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, actor.workspaceId)));
  if (!row) throw notFound(ENDPOINT);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "webhook_endpoint.secret_revealed",
    targetType: "webhook_endpoint",
    targetId: endpointId,
  });
  return openSigningSecret(row, actor.workspaceId, endpointId);
}

/**
 * How long the secret before a rotation may keep signing beside the new one, in hours: none
 * (the old one stops at once, when it may have leaked), an hour, a day (the default, as Svix,
 * Stripe and others give), a week (a receiver deployed weekly).
 */
export const SECRET_ROTATION_GRACE_HOURS = [0, 1, 24, 168] as const;
export type SecretRotationGrace = (typeof SECRET_ROTATION_GRACE_HOURS)[number];
export const DEFAULT_SECRET_ROTATION_GRACE: SecretRotationGrace = 24;

/**
 * Makes a new signing secret, returned here once (an admin may reveal it again). The old one
 * keeps signing beside it for the grace the admin chose, so the receiver can switch without
 * rejecting a delivery (with none, it stops now); rotating again within the grace drops the
 * oldest. Audited, with the grace.
 */
export async function rotateWebhookSecret(
  tx: Database,
  actor: WebhookActor,
  endpointId: string,
  graceHours: SecretRotationGrace = DEFAULT_SECRET_ROTATION_GRACE,
): Promise<{ secret: string; previousValidUntil: Date | null }> {
  assertWebhooksManager(actor);
  if (!SECRET_ROTATION_GRACE_HOURS.includes(graceHours)) {
    throw new AppError("invalid_input", "Choose how long the old secret keeps signing: none, 1 hour, 24 hours or 7 days.", {
      graceHours: ["None, 1 hour, 24 hours or 7 days."],
    });
  }
  const secret = newSigningSecret();
  const sealed = sealSigningSecret(secret, actor.workspaceId, endpointId);
  const now = new Date();
  const previousValidUntil = graceHours === 0 ? null : new Date(now.getTime() + graceHours * 3_600_000);
  await changeWebhookEndpoint(tx, actor, endpointId, {
    now,
    // The current ciphertext moves as it is: it is bound to the same workspace and endpoint.
    set: {
      ...(previousValidUntil
        ? {
            previousSecretCiphertext: sql`${webhookEndpoints.secretCiphertext}`,
            previousSecretKeyId: sql`${webhookEndpoints.secretKeyId}`,
            previousSecretExpiresAt: previousValidUntil,
          }
        : { previousSecretCiphertext: null, previousSecretKeyId: null, previousSecretExpiresAt: null }),
      secretCiphertext: sealed.ciphertext,
      secretKeyId: sealed.keyId,
      secretRotatedAt: now,
    },
    action: "webhook_endpoint.secret_rotated",
    metadata: { graceHours, previousValidUntil: previousValidUntil?.toISOString() ?? null },
  });
  return { secret, previousValidUntil };
}

/** Stops the secret before the last rotation signing at once (when it may have leaked). Audited. */
export async function retirePreviousWebhookSecret(tx: Database, actor: WebhookActor, endpointId: string): Promise<void> {
  assertWebhooksManager(actor);
  await changeWebhookEndpoint(tx, actor, endpointId, {
    set: { previousSecretCiphertext: null, previousSecretKeyId: null, previousSecretExpiresAt: null },
    action: "webhook_endpoint.previous_secret_retired",
  });
}

export async function deleteWebhookEndpoint(tx: Database, actor: WebhookActor, endpointId: string): Promise<void> {
  assertWebhooksManager(actor);
  const [row] = await tx
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, actor.workspaceId)))
    .returning({ url: webhookEndpoints.url });
  if (!row) throw notFound(ENDPOINT);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "webhook_endpoint.deleted",
    targetType: "webhook_endpoint",
    targetId: endpointId,
    metadata: { url: row.url },
  });
}
