import { z } from "zod";
import type { InstantlyClient, InstantlyEndpoint } from "../client";
import { instantlyPage } from "../schemas";
import { INSTANTLY_WEBHOOK_HEADER, instantlyWebhookUrl } from "./secret";

/**
 * Keeps the workspace's Instantly webhook registered and enabled (vendors file §1.10): found
 * by its target URL among GET /webhooks; created for all events with the secret header when
 * missing; its header put right when the secret changed (a new key, or ENCRYPTION_KEY rotated: secret.ts); resumed
 * (POST /webhooks/{id}/resume) when Instantly disabled it after failed deliveries. Run by every
 * sync (Sync now and hourly). Instantly's `status` values are not documented (unconfirmed):
 * anything but 1 (active) is taken as disabled.
 */
export const ZInstantlyWebhook = z.looseObject({
  id: z.string().min(1),
  target_hook_url: z.string().nullish(),
  status: z.number().nullish(),
  headers: z.record(z.string(), z.unknown()).nullish(),
  timestamp_error: z.string().nullish(),
});
export type InstantlyWebhook = z.infer<typeof ZInstantlyWebhook>;

const LIST: InstantlyEndpoint = { method: "GET", path: "/webhooks", name: "webhook list", scope: "webhooks:read" };
const CREATE: InstantlyEndpoint = { method: "POST", path: "/webhooks", name: "webhook creation", scope: "webhooks:create" };
const update = (id: string): InstantlyEndpoint => ({
  method: "PATCH",
  path: `/webhooks/${encodeURIComponent(id)}`,
  name: "webhook update",
  scope: "webhooks:update",
});
const resume = (id: string): InstantlyEndpoint => ({
  method: "POST",
  path: `/webhooks/${encodeURIComponent(id)}/resume`,
  name: "webhook resume",
  scope: "webhooks:update",
});

export type WebhookAction = "created" | "resumed" | "updated" | "unchanged";

export async function ensureInstantlyWebhook(
  client: InstantlyClient,
  workspaceId: string,
  secret: string,
): Promise<{ action: WebhookAction; id: string }> {
  const url = instantlyWebhookUrl(workspaceId);
  const headers = { [INSTANTLY_WEBHOOK_HEADER]: secret };
  let found: InstantlyWebhook | undefined;
  let after: string | undefined;
  for (let pages = 0; pages < 20 && !found; pages++) {
    const page = await client.call(LIST, { query: { limit: 100, starting_after: after } }, instantlyPage(ZInstantlyWebhook));
    found = page.items.find((w) => w.target_hook_url === url);
    if (page.items.length < 100 || page.next_starting_after == null) break;
    after = String(page.next_starting_after);
  }
  if (!found) {
    const created = await client.call(
      CREATE,
      { body: { name: "Lead Intelligence Panel", target_hook_url: url, event_type: "all_events", campaign: null, headers } },
      ZInstantlyWebhook,
    );
    return { action: "created", id: created.id };
  }
  let action: WebhookAction = "unchanged";
  if (found.headers && found.headers[INSTANTLY_WEBHOOK_HEADER] !== headers[INSTANTLY_WEBHOOK_HEADER]) {
    await client.call(update(found.id), { body: { headers } }, ZInstantlyWebhook);
    action = "updated";
  }
  if (found.status != null && found.status !== 1) {
    await client.call(resume(found.id), {}, ZInstantlyWebhook);
    action = "resumed";
  }
  return { action, id: found.id };
}
