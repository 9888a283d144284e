import "server-only";
import { isEmbeddedAuth } from "@/lib/env";
import { sendDueAuthEmails } from "./pending-emails";

export type PendingEmailDeliveryHandle = { stop(): Promise<void> };

/**
 * Sends the auth emails a failed attempt or a crash left (pending-emails.ts): once at start-up,
 * then every few seconds. The launcher runs it beside the job executor (never inside Next, whose
 * reloads would start it twice); with hosted Supabase Auth there is nothing to send.
 */
export function startPendingAuthEmailDelivery(options: { intervalMs?: number } = {}): PendingEmailDeliveryHandle {
  if (!isEmbeddedAuth()) return { stop: async () => {} };
  let stopped = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopped) {
      try {
        await sendDueAuthEmails();
      } catch (error) {
        if (!stopped)
          console.error("[auth-emulator] a pass over unsent auth emails failed:", error instanceof Error ? error.message : error);
      }
      if (!stopped) await sleep(options.intervalMs ?? 5_000);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
