import "server-only";
import { Resend } from "resend";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { assertCanDeliver, KIND_TAG, type EmailKind } from "./delivery";

export type OutgoingEmail = {
  /** Decides whether this deployment may deliver it at all (lib/email/delivery.ts). */
  kind: EmailKind;
  to: string;
  /**
   * The sender, e.g. a campaign's sending identity ('"Sam" <sam@acme.com>'); EMAIL_FROM, the
   * app's own address, when unset.
   */
  from?: string;
  replyTo?: string;
  subject: string;
  /** Left out for a plain-text-only email. */
  html?: string;
  text: string;
  /**
   * Resend tags; `workspace_id` lets the outbox show a workspace its own product mail. The
   * `kind` tag is set here from `kind`, never by the caller (lib/outbox/store.ts trusts it).
   */
  tags?: { name: string; value: string }[];
  headers?: Record<string, string>;
  /** Makes a retried send a no-op at the provider (Resend's Idempotency-Key). */
  idempotencyKey?: string;
};

/**
 * What the provider answered, as the caller needs to decide: accepted with its id, or refused
 * with the HTTP status (null: no answer at all, a network failure or our timeout), Resend's
 * error name and message, and its `retry-after` (seconds) when it sent one.
 */
export type DeliveryResult =
  { ok: true; id: string } | { ok: false; status: number | null; name: string; message: string; retryAfterSeconds: number | null };

/** How long one provider call may take before it counts as a timeout (retried under the same key). */
const PROVIDER_TIMEOUT_MS = 20_000;

let cachedClient: { key: string; client: Resend } | undefined;

/** The local outbox speaks Resend's HTTP API, so the same SDK call reaches either. */
export function resendClient(): Resend {
  const e = env();
  const key = e.RESEND_API_KEY ?? e.LOCAL_RESEND_API_KEY ?? "";
  const baseUrl = e.RESEND_API_KEY ? e.RESEND_BASE_URL : (e.RESEND_BASE_URL ?? `${e.APP_URL}/api/local-resend`);
  // One client per configuration, not one per email: a campaign sends hundreds a second.
  const cacheKey = `${key} ${baseUrl ?? ""}`;
  if (cachedClient?.key !== cacheKey) cachedClient = { key: cacheKey, client: new Resend(key, baseUrl ? { baseUrl } : undefined) };
  return cachedClient.client;
}

/**
 * One email through the Resend SDK (the real provider, or the embedded outbox), returning
 * what the provider said instead of throwing: the sequence's send step decides per status
 * whether to retry (5xx, 429, timeouts) or fail the message with the provider's reason (4xx).
 */
export async function deliverEmail(email: OutgoingEmail, { timeoutMs = PROVIDER_TIMEOUT_MS } = {}): Promise<DeliveryResult> {
  assertCanDeliver(email.kind);
  const { data, error, headers } = await resendClient().emails.send(
    {
      from: email.from ?? env().EMAIL_FROM,
      to: email.to,
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      subject: oneLine(email.subject),
      ...(email.html !== undefined ? { html: email.html } : {}),
      text: email.text,
      tags: [...(email.tags ?? []).filter((tag) => tag.name !== KIND_TAG), { name: KIND_TAG, value: email.kind }],
      headers: email.headers,
    },
    { ...(email.idempotencyKey ? { idempotencyKey: email.idempotencyKey } : {}), signal: AbortSignal.timeout(timeoutMs) },
  );
  if (data && !error) return { ok: true, id: data.id };
  const retryAfter = Number(headers?.["retry-after"]);
  return {
    ok: false,
    status: error?.statusCode ?? null,
    name: error?.name ?? "application_error",
    message: error?.message ?? "The provider gave no answer.",
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
  };
}

/**
 * A subject as one line: a line break in a header value starts another header, and the titles
 * that make some subjects (a lead's name in "… replied", a workspace's name in an invitation)
 * come from people and imported files. Campaign subjects are already one line when rendered.
 */
function oneLine(subject: string): string {
  return subject.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

export async function sendEmail(email: OutgoingEmail): Promise<{ id: string }> {
  const result = await deliverEmail(email);
  if (!result.ok) {
    console.error("[email] send failed:", result.name, result.message);
    throw new AppError("email_failed", "The email could not be sent. Try again in a minute.");
  }
  return { id: result.id };
}
