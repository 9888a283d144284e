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

/** The local outbox speaks Resend's HTTP API, so the same SDK call reaches either. */
export function resendClient(): Resend {
  const e = env();
  if (e.RESEND_API_KEY) return new Resend(e.RESEND_API_KEY, e.RESEND_BASE_URL ? { baseUrl: e.RESEND_BASE_URL } : undefined);
  return new Resend(e.LOCAL_RESEND_API_KEY, { baseUrl: e.RESEND_BASE_URL ?? `${e.APP_URL}/api/local-resend` });
}

export async function sendEmail(email: OutgoingEmail): Promise<{ id: string }> {
  assertCanDeliver(email.kind);
  const { data, error } = await resendClient().emails.send(
    {
      from: email.from ?? env().EMAIL_FROM,
      to: email.to,
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      subject: email.subject,
      ...(email.html !== undefined ? { html: email.html } : {}),
      text: email.text,
      tags: [...(email.tags ?? []).filter((tag) => tag.name !== KIND_TAG), { name: KIND_TAG, value: email.kind }],
      headers: email.headers,
    },
    email.idempotencyKey ? { idempotencyKey: email.idempotencyKey } : undefined,
  );
  if (error || !data) {
    console.error("[email] send failed:", error?.name, error?.message);
    throw new AppError("email_failed", "The email could not be sent. Try again in a minute.");
  }
  return { id: data.id };
}
