import "server-only";
import { emailDeliveryOf, env, type EmailDelivery, type Env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * `credential`: sign-in links and codes, reset links, invitation tokens: readable by their
 * recipient only. `product`: mail a workspace sends (campaigns, notifications), tagged with it.
 */
export type EmailKind = "credential" | "product";

/** The Resend tag sendEmail stamps on every message with its kind; no caller sets it. */
export const KIND_TAG = "kind";

/** The mode is worked out in lib/env.ts with the other services; the rules live here. */
export function emailDelivery(e: Env = env()): EmailDelivery {
  return emailDeliveryOf(e);
}
export type { EmailDelivery };

export function canDeliver(kind: EmailKind, e: Env = env()): boolean {
  const delivery = emailDelivery(e);
  if (delivery === "none") return false;
  return kind === "product" || delivery !== "demo-outbox";
}

export function emailNotConfigured(): AppError {
  return new AppError(
    "email_not_configured",
    "Email is not configured on this server, so nothing was sent. An operator can set RESEND_API_KEY (see .env.example).",
  );
}

/** Throws the plain "email is not configured" refusal before any work that would need it. */
export function assertCanDeliver(kind: EmailKind, e: Env = env()): void {
  if (!canDeliver(kind, e)) throw emailNotConfigured();
}

/** Whether sent mail is kept in the embedded outbox (and a workspace's Outbox page exists). */
export function keepsMailInOutbox(e: Env = env()): boolean {
  const delivery = emailDelivery(e);
  return delivery === "dev-mail-catcher" || delivery === "demo-outbox";
}
