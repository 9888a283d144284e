import "server-only";
import { connect } from "@/db/client";
import { env } from "@/lib/env";
import { requestWebhookDelivery } from "./deliveries";

export type OutboxListenerHandle = { stop(): Promise<void> };

/**
 * Wakes the delivery job soon after an event is recorded: the outbox triggers NOTIFY
 * `webhook_outbox` at commit (migration 0059), and this asks for a delivery run at most every
 * quarter second. Only a shortcut: the job's cron finds every due delivery within a minute even
 * if this process was down. Started by the launcher, with either job backend.
 */
export async function startWebhookOutboxListener(
  databaseUrl: string = env().DATABASE_LISTEN_URL ?? env().DATABASE_URL,
): Promise<OutboxListenerHandle> {
  const { sql } = connect(databaseUrl, { purpose: "webhook-outbox-listener", max: 1 });
  let timer: NodeJS.Timeout | null = null;
  const listener = await sql.listen("webhook_outbox", () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      requestWebhookDelivery(null).catch((error: unknown) => console.error("[webhooks] could not start a delivery run", error));
    }, 250);
  });
  return {
    stop: async () => {
      if (timer) clearTimeout(timer);
      await listener.unlisten();
    },
  };
}
