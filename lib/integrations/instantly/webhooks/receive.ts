import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb } from "@/db";
import { sendEvent } from "@/lib/jobs/send-event";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { INSTANTLY_WEBHOOK_FAILURES_PER_IP, webhooksPerIp } from "@/lib/rate-limit/policies";
import { RateLimitedError, waitInWords } from "@/lib/rate-limit/rate-limited";
import { consumeRequest, countRequest, secondsUntilAllowed, type RequestLimit } from "@/lib/rate-limit/request-limit";
import { readBodyCapped } from "@/lib/security/read-body-capped";
import { ZInstantlyWebhookEvent, type InstantlyWebhookEvent } from "./payload";
import { connectedInstantlyWebhookSecret, INSTANTLY_WEBHOOK_HEADER, isInstantlyWebhookSecret } from "./secret";
import { storableJson } from "@/lib/integrations/storable-json";

/** A delivery carries one event and the lead's fields: far below this. */
export const INSTANTLY_WEBHOOK_MAX_BYTES = 128 * 1024;

export type InstantlyWebhookLimits = { maxBytes: number; perIp: RequestLimit; failuresPerIp: RequestLimit };
/** The limits in force (RATE_LIMIT_WEBHOOKS_PER_MINUTE read at each delivery). */
const defaultLimits = (): InstantlyWebhookLimits => ({
  maxBytes: INSTANTLY_WEBHOOK_MAX_BYTES,
  perIp: webhooksPerIp("instantly"),
  failuresPerIp: INSTANTLY_WEBHOOK_FAILURES_PER_IP,
});

const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
const refuse = (status: number, error: string, headers: Record<string, string> = {}) =>
  answer(status, { error }, { connection: "close", ...headers });

/**
 * Instantly sends no event id: a delivery is the same event when its workspace, type, email,
 * lead and timestamp are (a retry of a delivery repeats them all).
 */
export function instantlyDeliveryId(workspaceId: string, event: InstantlyWebhookEvent): string {
  const parts = [workspaceId, event.event_type, event.email_id ?? "", (event.lead_email ?? "").trim().toLowerCase(), event.timestamp];
  return `instantly:${createHash("sha256").update(JSON.stringify(parts)).digest("hex")}`;
}

/**
 * POST /api/webhooks/instantly/{workspace id} (public and hostile, DESIGN.md §11). Counts the
 * request against the caller's IP, checks that the workspace has Instantly connected and the
 * secret header registered with the webhook (constant time; a caller guessing secrets is locked
 * out for a while), reads at most `maxBytes`, validates the event, then stores it once
 * (private.webhook_receipts, keyed by instantlyDeliveryId) and queues its processing in the
 * same transaction, and answers at once: Instantly disables a webhook that answers slowly or
 * badly. A repeated delivery is acknowledged and changes nothing.
 */
export async function receiveInstantlyWebhook(
  request: Request,
  workspaceParam: string,
  limits: InstantlyWebhookLimits = defaultLimits(),
): Promise<Response> {
  const ip = clientIpFromHeaders(request.headers);
  const lockedFor = await secondsUntilAllowed(limits.failuresPerIp, ip);
  if (lockedFor > 0)
    return refuse(429, "Too many deliveries with a wrong secret came from this address: try again later.", {
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

  const workspaceId = z.uuid().safeParse(workspaceParam);
  // Not connected: answered before the secret (there is none to check), and not counted as a
  // guess, so that Instantly's own deliveries to a webhook left behind by a disconnect never lock
  // out its shared addresses. A header left from an earlier key is a failure like any other.
  const connected = workspaceId.success ? await connectedInstantlyWebhookSecret(serviceDb(), workspaceId.data) : null;
  if (workspaceId.success && !connected)
    return refuse(404, "Instantly is not connected to this workspace any more: the delivery was ignored.");
  if (!workspaceId.success || !isInstantlyWebhookSecret(connected!.secret, request.headers.get(INSTANTLY_WEBHOOK_HEADER))) {
    await countRequest(limits.failuresPerIp, ip);
    return refuse(
      401,
      `The delivery does not carry this workspace's ${INSTANTLY_WEBHOOK_HEADER} header, so it was refused. The app registers it with the webhook when Instantly syncs.`,
    );
  }

  const announced = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = `The delivery is larger than ${limits.maxBytes / 1024} KiB, so it was refused.`;
  if (announced > limits.maxBytes) return refuse(413, tooLarge);
  const raw = await readBodyCapped(request, limits.maxBytes);
  if (raw === null) return refuse(413, tooLarge);
  let json: unknown;
  try {
    json = storableJson(JSON.parse(raw));
  } catch {
    return refuse(400, "The delivery is not JSON.");
  }
  const parsed = ZInstantlyWebhookEvent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refuse(400, `The delivery is not an Instantly event: ${issue.path.join(".") || "the body"}: ${issue.message}.`);
  }
  const event = parsed.data;

  const receiptId = await serviceDb().transaction(async (tx) => {
    const [receipt] = await tx.execute<{ id: string }>(sql`
      insert into private.webhook_receipts (provider, delivery_id, event_type, payload)
      values ('instantly', ${instantlyDeliveryId(workspaceId.data, event)}, ${event.event_type},
        ${JSON.stringify({ workspaceId: workspaceId.data, event })}::jsonb)
      on conflict (provider, delivery_id) do nothing
      returning id`);
    if (!receipt) return null;
    await sendEvent(
      { name: "integrations/instantly-webhook.received", data: { receiptId: receipt.id }, id: `instantly-webhook-${receipt.id}` },
      { db: tx },
    );
    return receipt.id;
  });
  return answer(200, receiptId ? { received: true } : { received: true, duplicate: true });
}
