import "server-only";
import { isEmbeddedAuth } from "@/lib/env";
import { startPollingLoop, type PollingLoopHandle } from "@/lib/local/polling-loop";
import { sendDueAuthEmails } from "./pending-emails";

export type PendingEmailDeliveryHandle = PollingLoopHandle;

/**
 * Sends the auth emails a failed attempt or a crash left (pending-emails.ts): once at start-up,
 * then every few seconds. The launcher runs it beside the job executor; with hosted Supabase
 * Auth there is nothing to send.
 */
export function startPendingAuthEmailDelivery(options: { intervalMs?: number } = {}): PendingEmailDeliveryHandle {
  if (!isEmbeddedAuth()) return { stop: async () => {} };
  return startPollingLoop(
    async () => {
      await sendDueAuthEmails();
      return { busy: false };
    },
    {
      intervalMs: options.intervalMs ?? 5_000,
      onError: (error) =>
        console.error("[auth-emulator] a pass over unsent auth emails failed:", error instanceof Error ? error.message : error),
    },
  );
}
