import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { resendClient } from "@/lib/email/send-email";
import { resendWebhookSecret } from "@/lib/env";
import { sendEvent } from "@/lib/jobs/send-event";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { RESEND_WEBHOOK_FAILURES_PER_IP, webhooksPerIp } from "@/lib/rate-limit/policies";
import { RateLimitedError, waitInWords } from "@/lib/rate-limit/rate-limited";
import { consumeRequest, countRequest, secondsUntilAllowed, type RequestLimit } from "@/lib/rate-limit/request-limit";
import { readBodyCapped } from "@/lib/security/read-body-capped";
import { ZResendEnvelope } from "./resend-payload";

/** Resend's events are small (an inbound email's event carries metadata only, never its body). */
export const RESEND_WEBHOOK_MAX_BYTES = 128 * 1024;

export type ResendWebhookLimits = { maxBytes: number; perIp: RequestLimit; failuresPerIp: RequestLimit };

/** The limits in force (RATE_LIMIT_WEBHOOKS_PER_MINUTE read at each delivery). */
const defaultLimits = (): ResendWebhookLimits => ({
  maxBytes: RESEND_WEBHOOK_MAX_BYTES,
  perIp: webhooksPerIp("resend"),
  failuresPerIp: RESEND_WEBHOOK_FAILURES_PER_IP,
});

function answer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

function refuse(status: number, error: string, headers: Record<string, string> = {}): Response {
  // The body may be unread: closing keeps its rest from being taken for the next request.
  return answer(status, { error }, { connection: "close", ...headers });
}

/** The library's reasons, in words an operator can act on (none of them depends on the secret). */
function signatureRefusal(reason: string): string {
  if (/too old/i.test(reason))
    return "The delivery's svix-timestamp is more than 5 minutes old, so it was refused (a replay, or this server's clock is wrong).";
  if (/too new/i.test(reason))
    return "The delivery's svix-timestamp is more than 5 minutes in the future, so it was refused (check this server's clock).";
  return "The webhook signature does not match this server's signing secret, so the delivery was refused. Check RESEND_WEBHOOK_SECRET.";
}

/**
 * POST /api/webhooks/resend (DESIGN.md §11: public and hostile). Counts the request against the
 * caller's IP, reads at most `maxBytes` of the raw body, verifies its Svix signature with the
 * Resend SDK (±5 minutes on the timestamp, both ways), then stores the delivery once per svix-id
 * and queues its processing in the same transaction, and answers at once. A replayed svix-id
 * is acknowledged and changes nothing; so is any refusal (nothing is written before the
 * signature is verified).
 */
export async function receiveResendWebhook(request: Request, limits: ResendWebhookLimits = defaultLimits()): Promise<Response> {
  const ip = clientIpFromHeaders(request.headers);
  const lockedFor = await secondsUntilAllowed(limits.failuresPerIp, ip);
  if (lockedFor > 0)
    return refuse(429, "Too many deliveries with a bad signature came from this address: try again later.", {
      "retry-after": String(lockedFor),
    });
  try {
    await consumeRequest(limits.perIp, ip);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const wait = waitInWords(error.retryAfterSeconds);
    return refuse(429, `Too many webhook deliveries from this address — try again in ${wait}.`, {
      "retry-after": String(error.retryAfterSeconds),
    });
  }

  const secret = resendWebhookSecret();
  if (!secret)
    return refuse(503, "Resend webhooks are not configured on this server: set RESEND_WEBHOOK_SECRET to the webhook's signing secret.");

  const announced = Number(request.headers.get("content-length") ?? "0");
  if (announced > limits.maxBytes) return refuse(413, `The delivery is larger than ${limits.maxBytes / 1024} KiB, so it was refused.`);
  const raw = await readBodyCapped(request, limits.maxBytes);
  if (raw === null) return refuse(413, `The delivery is larger than ${limits.maxBytes / 1024} KiB, so it was refused.`);

  const id = request.headers.get("svix-id");
  const timestamp = request.headers.get("svix-timestamp");
  const signature = request.headers.get("svix-signature");
  if (!id || !timestamp || !signature || id.length > 200) {
    await countRequest(limits.failuresPerIp, ip);
    return refuse(401, "The delivery is not signed: the svix-id, svix-timestamp and svix-signature headers are required.");
  }
  let verified: unknown;
  try {
    verified = resendClient().webhooks.verify({ payload: raw, headers: { id, timestamp, signature }, webhookSecret: secret });
  } catch (error) {
    if (!(error instanceof Error) || error.name !== "WebhookVerificationError") {
      console.error("[webhooks/resend] the signing secret cannot be used:", error instanceof Error ? error.message : error);
      return refuse(503, "This server's Resend webhook signing secret is not a valid whsec_ secret: an operator must correct it.");
    }
    await countRequest(limits.failuresPerIp, ip);
    return refuse(401, signatureRefusal(error.message));
  }

  const envelope = ZResendEnvelope.safeParse(verified);
  if (!envelope.success) return refuse(400, "The delivery is signed but is not a Resend event ({ type, created_at, data }).");

  const receiptId = await serviceDb().transaction(async (tx) => {
    const [receipt] = await tx.execute<{ id: string }>(sql`
      insert into private.webhook_receipts (provider, delivery_id, event_type, payload)
      values ('resend', ${id}, ${envelope.data.type}, ${JSON.stringify(envelope.data)}::jsonb)
      on conflict (provider, delivery_id) do nothing
      returning id`);
    if (!receipt) return null;
    // With the local executor the event commits with the receipt; Inngest gets it before COMMIT,
    // and a receipt that then failed to commit is simply not found by the job.
    await sendEvent(
      { name: "email/resend-webhook.received", data: { receiptId: receipt.id }, id: `resend-webhook-${receipt.id}` },
      { db: tx },
    );
    return receipt.id;
  });
  if (!receiptId) return answer(200, { received: true, duplicate: true });
  return answer(200, { received: true });
}
