import "server-only";
import { env, type Env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Where mail goes, and who may read it (DESIGN.md §11):
 *  - `resend`: a real provider delivers every message to its recipient;
 *  - `dev-mail-catcher`: `npm run dev` with no provider; the embedded outbox catches every
 *    message, and a development-only mail catcher shows them all, as MailHog would;
 *  - `demo-outbox`: production with LOCAL_OUTBOX_ENABLED; product mail is kept in the outbox,
 *    shown to its own workspace only, and mail carrying a credential is never sent;
 *  - `none`: production with no provider; nothing is sent, and flows that need mail say so.
 */
export type EmailDelivery = "resend" | "dev-mail-catcher" | "demo-outbox" | "none";

/**
 * `credential`: sign-in links and codes, reset links, invitation tokens: readable by their
 * recipient only. `product`: mail a workspace sends (campaigns, notifications), tagged with it.
 */
export type EmailKind = "credential" | "product";

export function emailDelivery(e: Env = env()): EmailDelivery {
  if (e.RESEND_API_KEY) return "resend";
  if (e.NODE_ENV !== "production") return "dev-mail-catcher";
  return e.LOCAL_OUTBOX_ENABLED ? "demo-outbox" : "none";
}

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
