import { createHmac, createHash, hkdfSync, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { env, type Env } from "@/lib/env";

/**
 * Instantly does not sign its webhook deliveries (vendors/instantly-resend.md §1.10): the only
 * proof a delivery comes from the webhook we registered is a header we asked Instantly to send
 * with each one. Its value is derived from ENCRYPTION_KEY, the workspace and the connection's
 * stored key (nothing more to store, nothing that leaves the server except to Instantly), and
 * compared in constant time.
 *
 * Why the stored key is part of it: anyone holding the workspace's Instantly API key can read
 * the header back (GET /webhooks lists each webhook's headers). Bound to the key, a new key
 * (rotated after a leak, or another Instantly account) makes the old header worthless at once;
 * the sync then writes the new one to the webhook (register.ts). The sealed ciphertext stands
 * for the key: it changes exactly when a key is saved (a fresh IV each time) and the hostile
 * path never has to decrypt anything.
 */
export const INSTANTLY_WEBHOOK_HEADER = "x-lip-webhook-secret";

const webhookKey = (encryptionKey: string) =>
  Buffer.from(hkdfSync("sha256", Buffer.from(encryptionKey, "base64"), Buffer.alloc(0), "lip instantly-webhook v2", 32));

/** The header's value for a workspace whose Instantly key is sealed as `keyCiphertext`. */
export function instantlyWebhookSecret(workspaceId: string, keyCiphertext: string, e: Env = env()): string {
  return createHmac("sha256", webhookKey(e.ENCRYPTION_KEY)).update(`${workspaceId.toLowerCase()}\n${keyCiphertext}`).digest("base64url");
}

/** The workspace's connected Instantly account and its current header value; null when none is connected. */
export async function connectedInstantlyWebhookSecret(
  db: Database,
  workspaceId: string,
  e: Env = env(),
): Promise<{ accountId: string; secret: string } | null> {
  const [account] = await db.execute<{ id: string; secret_ciphertext: string }>(sql`
    select id, secret_ciphertext from public.integration_accounts
    where workspace_id = ${workspaceId} and vendor = 'instantly' and status <> 'disconnected'`);
  return account ? { accountId: account.id, secret: instantlyWebhookSecret(workspaceId, account.secret_ciphertext, e) } : null;
}

/** Whether `presented` is `expected`; the same time whatever it holds. */
export function isInstantlyWebhookSecret(expected: string, presented: string | null): boolean {
  if (!presented) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Where Instantly delivers a workspace's events. */
export function instantlyWebhookUrl(workspaceId: string, e: Env = env()): string {
  return `${e.APP_URL.replace(/\/+$/, "")}/api/webhooks/instantly/${workspaceId}`;
}
