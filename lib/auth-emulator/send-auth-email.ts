import "server-only";
import { canDeliver } from "@/lib/email/delivery";
import { sendEmail } from "@/lib/email/send-email";
import type { AuthEmail } from "./emails";
import { consumeAuthEmailAllowance } from "@/lib/rate-limit/auth-emails";
import { RateLimitedError } from "@/lib/rate-limit/rate-limited";
import { emailNotConfiguredError, emailSendFailed, overEmailSendRateLimit } from "./errors";

/**
 * Refuses up front, the same way for every address, when this deployment may not deliver
 * credential mail (production without an email provider): a flow that depends on the email
 * must not create anything it cannot complete.
 */
export function assertCanSendAuthEmail(): void {
  if (!canDeliver("credential")) throw emailNotConfiguredError();
}

/**
 * The email limits (GoTrue's RATE_LIMIT_EMAIL_SENT, and per client IP) for a public endpoint
 * that may send an auth email: counted per request, before any address is looked up.
 */
export async function consumeEmailAllowance(clientIp: string): Promise<void> {
  try {
    await consumeAuthEmailAllowance(clientIp);
  } catch (error) {
    if (error instanceof RateLimitedError) throw overEmailSendRateLimit(error.retryAfterSeconds);
    throw error;
  }
}

/** Through the app's one email path, so it lands in the local outbox or goes out via Resend. */
export async function sendAuthEmail(to: string, email: AuthEmail): Promise<void> {
  assertCanSendAuthEmail();
  try {
    await sendEmail({ kind: "credential", to, ...email, tags: [{ name: "category", value: "auth" }] });
  } catch {
    // sendEmail has logged the provider's reason; the link itself must not reach any log.
    throw emailSendFailed();
  }
}
