import "server-only";
import { canDeliver } from "@/lib/email/delivery";
import { sendEmail } from "@/lib/email/send-email";
import type { AuthEmail } from "./emails";
import { emailNotConfiguredError, emailSendFailed } from "./errors";

/**
 * Refuses up front, the same way for every address, when this deployment may not deliver
 * credential mail (production without an email provider): a flow that depends on the email
 * must not create anything it cannot complete.
 */
export function assertCanSendAuthEmail(): void {
  if (!canDeliver("credential")) throw emailNotConfiguredError();
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
