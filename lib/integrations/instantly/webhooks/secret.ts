import { createHmac, createHash, hkdfSync, timingSafeEqual } from "node:crypto";
import { env, type Env } from "@/lib/env";

/**
 * Instantly does not sign its webhook deliveries (vendors/instantly-resend.md §1.10): the only
 * proof a delivery comes from the webhook we registered is a header we asked Instantly to send
 * with each one. Its value is a per-workspace secret derived from ENCRYPTION_KEY (nothing to
 * store, nothing that leaves the server except to Instantly), compared in constant time.
 */
export const INSTANTLY_WEBHOOK_HEADER = "x-lip-webhook-secret";

const webhookKey = (encryptionKey: string) =>
  Buffer.from(hkdfSync("sha256", Buffer.from(encryptionKey, "base64"), Buffer.alloc(0), "lip instantly-webhook v1", 32));

export function instantlyWebhookSecret(workspaceId: string, e: Env = env()): string {
  return createHmac("sha256", webhookKey(e.ENCRYPTION_KEY)).update(workspaceId.toLowerCase()).digest("base64url");
}

/** Whether `presented` is the workspace's secret; the same time whatever it holds. */
export function isInstantlyWebhookSecret(workspaceId: string, presented: string | null, e: Env = env()): boolean {
  if (!presented) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(presented), digest(instantlyWebhookSecret(workspaceId, e)));
}

/** Where Instantly delivers a workspace's events. */
export function instantlyWebhookUrl(workspaceId: string, e: Env = env()): string {
  return `${e.APP_URL.replace(/\/+$/, "")}/api/webhooks/instantly/${workspaceId}`;
}
