import { receiveResendWebhook } from "@/lib/sending/events/receive-resend-webhook";

export const dynamic = "force-dynamic";

/** Resend's (or the local outbox's) Svix-signed email events: verified, stored once, processed by a job. */
export async function POST(request: Request) {
  return receiveResendWebhook(request);
}
