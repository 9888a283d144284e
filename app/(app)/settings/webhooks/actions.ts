"use server";
import { z } from "zod";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { redeliverWebhook } from "@/lib/webhooks/deliveries";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  retirePreviousWebhookSecret,
  revealWebhookSecret,
  DEFAULT_SECRET_ROTATION_GRACE,
  rotateWebhookSecret,
  SECRET_ROTATION_GRACE_HOURS,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
  ZEndpointInput,
  type WebhookActor,
} from "@/lib/webhooks/endpoints";

const WEBHOOKS_PATH = "/settings/webhooks";

const actorOf = (session: WorkspaceSession): WebhookActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

const ZEndpointRef = z.object({ endpointId: z.uuid("That webhook endpoint is not valid.") });

/** The answer carries the signing secret: the one time it is shown without asking. */
export const createWebhook = defineAction({
  name: "createWebhook",
  schema: ZEndpointInput,
  auth: "webhooks.manage",
  handler: async ({ session, tx }, input) => {
    const { endpoint, secret } = await createWebhookEndpoint(tx, actorOf(session), input);
    return { id: endpoint.id, url: endpoint.url, secret };
  },
  revalidate: [WEBHOOKS_PATH],
});

/** The edit form: the same fields and checks as adding (an https public address outside development). */
export const updateWebhook = defineAction({
  name: "updateWebhook",
  schema: ZEndpointInput.extend(ZEndpointRef.shape),
  auth: "webhooks.manage",
  handler: async ({ session, tx }, { endpointId, ...input }) => {
    const endpoint = await updateWebhookEndpoint(tx, actorOf(session), endpointId, input);
    return { url: endpoint.url };
  },
  revalidate: [WEBHOOKS_PATH],
});

/**
 * The answer carries the new signing secret: the one time it is shown without asking. The admin
 * chooses how long the old one keeps signing (a day when not said).
 */
export const rotateWebhookSigningSecret = defineAction({
  name: "rotateWebhookSigningSecret",
  schema: ZEndpointRef.extend({
    graceHours: z
      .literal(SECRET_ROTATION_GRACE_HOURS, "Choose how long the old secret keeps signing: none, 1 hour, 24 hours or 7 days.")
      .default(DEFAULT_SECRET_ROTATION_GRACE),
  }),
  auth: "webhooks.manage",
  handler: async ({ session, tx }, input) => {
    const { secret, previousValidUntil } = await rotateWebhookSecret(tx, actorOf(session), input.endpointId, input.graceHours);
    return { secret, previousValidUntil: previousValidUntil?.toISOString() ?? null };
  },
  revalidate: [WEBHOOKS_PATH],
});

export const retirePreviousWebhookSigningSecret = defineAction({
  name: "retirePreviousWebhookSigningSecret",
  schema: ZEndpointRef,
  auth: "webhooks.manage",
  handler: async ({ session, tx }, input) => {
    await retirePreviousWebhookSecret(tx, actorOf(session), input.endpointId);
    return { retired: true };
  },
  revalidate: [WEBHOOKS_PATH],
});

export const setWebhookEnabled = defineAction({
  name: "setWebhookEnabled",
  schema: ZEndpointRef.extend({ enabled: z.boolean() }),
  auth: "webhooks.manage",
  handler: async ({ session, tx }, input) => {
    const endpoint = await setWebhookEndpointEnabled(tx, actorOf(session), input.endpointId, input.enabled);
    return { enabled: endpoint.enabled };
  },
  revalidate: [WEBHOOKS_PATH],
});

export const revealWebhookSigningSecret = defineAction({
  name: "revealWebhookSigningSecret",
  schema: ZEndpointRef,
  auth: "webhooks.manage",
  handler: async ({ session, tx }, input) => ({ secret: await revealWebhookSecret(tx, actorOf(session), input.endpointId) }),
});

export const deleteWebhook = defineAction({
  name: "deleteWebhook",
  schema: ZEndpointRef,
  auth: "webhooks.manage",
  handler: async ({ session, tx }, input) => {
    await deleteWebhookEndpoint(tx, actorOf(session), input.endpointId);
    return { deleted: true };
  },
  revalidate: [WEBHOOKS_PATH],
});

export const redeliverWebhookDelivery = defineAction({
  name: "redeliverWebhookDelivery",
  schema: z.object({ deliveryId: z.uuid("That delivery is not valid.") }),
  auth: "webhooks.manage",
  handler: async ({ session, tx }, input) => {
    await redeliverWebhook(tx, actorOf(session), input.deliveryId);
    return { queued: true };
  },
  revalidate: [WEBHOOKS_PATH],
});
