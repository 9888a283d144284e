import { createHmac, randomUUID } from "node:crypto";

/** The headers of one Svix delivery (Resend signs its webhooks through Svix). */
export type SvixHeaders = { "svix-id": string; "svix-timestamp": string; "svix-signature": string };

const SECRET_PREFIX = "whsec_";

/**
 * Signs a webhook body as Svix and the Standard Webhooks libraries do: the key is the secret's
 * base64 part decoded, the signed content `${id}.${timestamp}.${body}` (the exact bytes sent),
 * HMAC-SHA256 in base64, sent as `v1,<signature>`. `timestamp` is in unix seconds.
 */
export function signWebhook(input: { secret: string; id: string; timestamp: number; body: string }): SvixHeaders {
  const encoded = input.secret.startsWith(SECRET_PREFIX) ? input.secret.slice(SECRET_PREFIX.length) : input.secret;
  const key = Buffer.from(encoded, "base64");
  if (key.length === 0) throw new Error("The webhook signing secret is empty.");
  const timestamp = String(Math.floor(input.timestamp));
  const signature = createHmac("sha256", key).update(`${input.id}.${timestamp}.${input.body}`).digest("base64");
  return { "svix-id": input.id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` };
}

/** A delivery id in Svix's shape (`msg_…`): the same on every attempt, so receivers can dedupe. */
export function newWebhookId(): string {
  return `msg_${randomUUID().replaceAll("-", "")}`;
}
