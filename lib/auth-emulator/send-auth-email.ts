import "server-only";
import { sendEmail } from "@/lib/email/send-email";
import type { AuthEmail } from "./emails";
import { emailSendFailed } from "./errors";

/** Through the app's one email path, so it lands in the local outbox or goes out via Resend. */
export async function sendAuthEmail(to: string, email: AuthEmail): Promise<void> {
  try {
    await sendEmail({ kind: "credential", to, ...email, tags: [{ name: "category", value: "auth" }] });
  } catch {
    // sendEmail has logged the provider's reason; the link itself must not reach any log.
    throw emailSendFailed();
  }
}
