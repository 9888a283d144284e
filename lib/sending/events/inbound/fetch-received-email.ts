import "server-only";
import { resendClient } from "@/lib/email/send-email";

/** An inbound email as Resend serves it (GET /emails/receiving/{id}, §2.9), trimmed to what we keep. */
export type ReceivedEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  messageId: string | null;
  createdAt: string;
};

/** A failure worth retrying (the provider was down or slow): the job's step retries with back-off. */
export class ReceivingUnavailable extends Error {}

/**
 * Fetches a received email's content through the Resend SDK (Resend, or the local outbox when
 * RESEND_API_KEY is unset). Null when the provider does not know it (404): nothing to record.
 */
export async function fetchReceivedEmail(emailId: string): Promise<ReceivedEmail | null> {
  const { data, error } = await resendClient().emails.receiving.get(emailId);
  if (error) {
    if (error.statusCode === 404 || error.name === "not_found") return null;
    throw new ReceivingUnavailable(
      `Resend could not give the received email (${error.name}, ${error.statusCode ?? "no status"}): ${error.message}`,
    );
  }
  return {
    id: data.id,
    from: data.from,
    to: [...(data.to ?? []), ...(data.received_for ?? [])],
    subject: data.subject ?? null,
    text: data.text ?? null,
    html: data.html ?? null,
    headers: data.headers ?? {},
    messageId: data.message_id ?? null,
    createdAt: data.created_at,
  };
}
