import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { keepsMailInOutbox } from "@/lib/email/delivery";
import { env, type Env } from "@/lib/env";
import { startPollingLoop, type PollingLoopHandle } from "@/lib/local/polling-loop";
import { OUTBOX_WEBHOOK_PATH } from "./webhook-address";
import { signWebhook } from "./webhook-signature";

/**
 * Sends the outbox's queued webhook deliveries (webhook-events.ts) to the app's Resend webhook
 * route as Svix sends Resend's: signed per attempt (a fresh svix-timestamp, the same svix-id and
 * body), any 2xx is success, otherwise retried on Svix's schedule, then given up.
 */

/** Svix's schedule after a failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then it gives up. */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600] as const;

/** Seconds until the next attempt after `attempts` failed ones; null once the schedule is spent. */
export function retryDelaySeconds(attempts: number): number | null {
  return RETRY_DELAYS_SECONDS[attempts - 1] ?? null;
}

export type WebhookTarget = { url: string; secret: string; timeoutMs?: number };

export type DeliverOptions = {
  /** Rows claimed at once. */
  limit?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** How long a claimed delivery is held: a process that dies mid-send leaves it to be retried after. */
  leaseSeconds?: number;
  /** Only deliveries about these emails (tests share one database; a test delivers its own). */
  emailIds?: string[];
};

type Claimed = { id: string; body: string; attempts: number; created_at: Date | string };

/** Takes due deliveries for one attempt each, held for `leaseSeconds`. */
export async function claimDueDeliveries(options: DeliverOptions = {}): Promise<Claimed[]> {
  const { limit = 50, leaseSeconds = 60, emailIds } = options;
  const scope = emailIds ? sql`and email_id = any(${sql.param(emailIds)}::uuid[])` : sql``;
  const rows = await serviceDb().execute<Claimed>(sql`
    update local.outbox_webhook_deliveries d
    set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    from (
      select id from local.outbox_webhook_deliveries
      where delivered_at is null and failed_at is null and next_attempt_at <= now() ${scope}
      order by next_attempt_at, created_at
      limit ${limit}
      for update skip locked
    ) due
    where d.id = due.id
    returning d.id, d.body, d.attempts, d.created_at`);
  return [...rows].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
}

type Outcome = { status: number | null; error: string | null; retryAfterSeconds?: number };

async function attempt(target: WebhookTarget, delivery: Claimed): Promise<Outcome> {
  const headers = signWebhook({ secret: target.secret, id: delivery.id, timestamp: Date.now() / 1000, body: delivery.body });
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": "Svix-Webhooks/1.0 (lip local outbox)" },
      body: delivery.body,
      // A redirect (to a sign-in page, say) is not an acceptance: Svix counts only a 2xx.
      redirect: "manual",
      signal: AbortSignal.timeout(target.timeoutMs ?? 15_000),
    });
    await response.body?.cancel().catch(() => {});
    const retryAfter = Number(response.headers.get("retry-after"));
    return {
      status: response.status,
      error: response.ok ? null : `HTTP ${response.status}`,
      ...(response.status === 429 && retryAfter > 0 ? { retryAfterSeconds: Math.min(retryAfter, 3600) } : {}),
    };
  } catch (error) {
    return { status: null, error: error instanceof Error ? error.message.slice(0, 500) : "request failed" };
  }
}

async function record(delivery: Claimed, outcome: Outcome): Promise<"delivered" | "retry" | "failed"> {
  const db = serviceDb();
  if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
    await db.execute(sql`
      update local.outbox_webhook_deliveries set delivered_at = now(), last_status = ${outcome.status}, last_error = null
      where id = ${delivery.id}`);
    return "delivered";
  }
  // The app's route limits deliveries per address (a campaign's sends announce thousands of
  // events): slowed down, not failed, so an event is never given up for the app's own pacing.
  if (outcome.retryAfterSeconds !== undefined) {
    await db.execute(sql`
      update local.outbox_webhook_deliveries
      set attempts = attempts - 1, last_status = 429, last_error = ${outcome.error},
          next_attempt_at = now() + make_interval(secs => ${outcome.retryAfterSeconds})
      where id = ${delivery.id}`);
    return "retry";
  }
  const delay = retryDelaySeconds(delivery.attempts);
  await db.execute(sql`
    update local.outbox_webhook_deliveries
    set last_status = ${outcome.status}, last_error = ${outcome.error},
        ${delay === null ? sql`failed_at = now()` : sql`next_attempt_at = now() + make_interval(secs => ${delay})`}
    where id = ${delivery.id}`);
  return delay === null ? "failed" : "retry";
}

/** One pass: claims what is due and attempts each once. */
export async function deliverDueWebhooks(
  target: WebhookTarget,
  options: DeliverOptions = {},
): Promise<{ claimed: number; delivered: number; retrying: number; failed: number }> {
  const claimed = await claimDueDeliveries(options);
  const counts = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const delivery = claimed[next++]!;
      const result = await record(delivery, await attempt(target, delivery));
      if (result === "delivered") counts.delivered += 1;
      else if (result === "retry") counts.retrying += 1;
      else counts.failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, claimed.length) }, worker));
  return counts;
}

/** Where the outbox posts: this app's Resend webhook route, signed with the outbox's own secret. */
export function outboxWebhookTarget(e: Env = env()): WebhookTarget | null {
  if (!keepsMailInOutbox(e) || !e.LOCAL_RESEND_WEBHOOK_SECRET) return null;
  return { url: new URL(OUTBOX_WEBHOOK_PATH, e.APP_URL).toString(), secret: e.LOCAL_RESEND_WEBHOOK_SECRET };
}

export type OutboxDeliveryHandle = PollingLoopHandle;

/**
 * The delivery loop, a development/demo stand-in for Resend's own: the launcher runs it beside
 * the job executor. It does nothing when mail goes to a real provider (RESEND_API_KEY) or
 * nowhere; then the outbox does not exist.
 */
export function startOutboxWebhookDelivery(
  options: { e?: Env; intervalMs?: number; log?: (message: string) => void } = {},
): OutboxDeliveryHandle {
  const target = outboxWebhookTarget(options.e ?? env());
  if (!target) return { stop: async () => {} };
  const log = options.log ?? ((message: string) => console.warn(message));
  let reported = false;
  return startPollingLoop(
    async () => {
      const pass = await deliverDueWebhooks(target);
      if (pass.retrying + pass.failed > 0 && !reported) {
        log(`[outbox] webhook deliveries to ${target.url} failed; retrying on Svix's schedule`);
        reported = true;
      }
      if (pass.delivered > 0) reported = false;
      return { busy: pass.claimed === 50 };
    },
    {
      intervalMs: options.intervalMs ?? 250,
      onError: (error) => log(`[outbox] webhook delivery pass failed: ${error instanceof Error ? error.message : String(error)}`),
    },
  );
}
