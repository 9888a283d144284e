import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { openSecret, sealSecret, type SealedSecret } from "@/lib/integrations/accounts/secret-box";
import { integrationSecretKeys } from "@/lib/integrations/accounts/secret-keys";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a `whsec_` secret of 24 random
 * bytes per endpoint, sealed at rest as integration keys are (AES-256-GCM, bound to the workspace
 * and the endpoint, so a ciphertext copied onto another row does not open). The receiver checks
 * `webhook-signature` with the same library (or any Standard Webhooks implementation).
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

const contextOf = (workspaceId: string, endpointId: string) => ({ workspaceId, vendor: `webhook-endpoint:${endpointId}` });

export function sealSigningSecret(secret: string, workspaceId: string, endpointId: string): SealedSecret {
  return sealSecret(secret, contextOf(workspaceId, endpointId), integrationSecretKeys()[0]!);
}

export function openSigningSecret(sealed: SealedSecret, workspaceId: string, endpointId: string): string {
  return openSecret(sealed, contextOf(workspaceId, endpointId), integrationSecretKeys());
}

/** `msg_` and the delivery's id: the same for every retry and redelivery of one event to one endpoint. */
export function webhookIdOf(deliveryId: string): string {
  return `msg_${deliveryId.replaceAll("-", "")}`;
}

export type SignedRequest = { body: string; headers: Record<string, string> };

/**
 * The body (`{type, timestamp, data}`) and the three Standard Webhooks headers for one attempt.
 * With `previousSecret` (a rotation's grace), `webhook-signature` carries both signatures,
 * space-separated as the spec allows: a receiver verifying with either secret accepts it.
 */
export function signDelivery(input: {
  secret: string;
  previousSecret?: string | null;
  webhookId: string;
  type: string;
  occurredAt: Date;
  data: unknown;
  now: Date;
}): SignedRequest {
  const body = JSON.stringify({ type: input.type, timestamp: input.occurredAt.toISOString(), data: input.data });
  const signature = [input.secret, input.previousSecret]
    .filter((s): s is string => !!s)
    .map((secret) => new Webhook(secret).sign(input.webhookId, input.now, body))
    .join(" ");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": input.webhookId,
      "webhook-timestamp": String(Math.floor(input.now.getTime() / 1000)),
      "webhook-signature": signature,
    },
  };
}
