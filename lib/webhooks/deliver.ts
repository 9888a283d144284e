import "server-only";
import { sql } from "drizzle-orm";
import { withServiceTx, type Database } from "@/db";
import { env } from "@/lib/env";
import { notify } from "@/lib/notifications/notify";
import { postPublic, type PublicFetchOptions } from "@/lib/security/public-fetch";
import { DISABLE_AFTER_FAILED_EVENTS, DISABLE_AFTER_FAILING_DAYS, parseRetrySchedule, retryDelayAfter } from "./retry-schedule";
import { openSigningSecret, signDelivery, webhookIdOf } from "./signing";
import { defaultTargetOptions } from "./target";

export type DeliverOptions = Pick<PublicFetchOptions, "lookup" | "allowAddress" | "timeoutMs"> & {
  /** Waits before each retry (ms); WEBHOOK_RETRY_SCHEDULE by default. */
  schedule?: readonly number[];
  /** Deliveries claimed per round, and sent at once. */
  batchSize?: number;
  concurrency?: number;
  /** Stop claiming more after this long (the job's step should end well before its timeout). */
  budgetMs?: number;
  /** A claim is held this long; a crashed worker's claims are taken again after it. */
  leaseMs?: number;
  /** Only these workspaces' deliveries (tests share one database). */
  workspaceIds?: readonly string[];
};

type Claimed = {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  attempts: number;
  max_attempts: number | null;
  type: string;
  data: unknown;
  occurred_at: string;
  url: string;
  secret_ciphertext: string;
  secret_key_id: string;
  /** Set while a rotation's grace lasts. */
  previous_secret_ciphertext: string | null;
  previous_secret_key_id: string | null;
};

export type DeliverResult = { attempted: number; succeeded: number; failed: number; disabled: number; nextDueInMs: number | null };

/**
 * Sends every delivery that is due, in rounds of `batchSize` claimed rows (FOR UPDATE SKIP
 * LOCKED, then leased, so two workers never send the same attempt), until none is due or the
 * budget is spent. Each attempt is signed (Standard Webhooks), posted through the SSRF guard
 * (public addresses only, after DNS and on redirect), and recorded with the delivery's next
 * state in one transaction; the attempt row is unique per (delivery, attempt).
 */
export async function deliverDueWebhooks(db: Database, options: DeliverOptions = {}): Promise<DeliverResult> {
  const started = Date.now();
  const budgetMs = options.budgetMs ?? 40_000;
  const batchSize = options.batchSize ?? 100;
  const resolved = { ...options, schedule: options.schedule ?? parseRetrySchedule(env().WEBHOOK_RETRY_SCHEDULE) };
  if (!options.allowAddress) Object.assign(resolved, { allowAddress: defaultTargetOptions().allowAddress });
  const result: DeliverResult = { attempted: 0, succeeded: 0, failed: 0, disabled: 0, nextDueInMs: null };
  for (;;) {
    const claimed = await claimDue(db, batchSize, options.leaseMs ?? 60_000, options.workspaceIds);
    await runPool(claimed, options.concurrency ?? 16, async (delivery) => {
      const outcome = await attemptDelivery(db, delivery, resolved);
      result.attempted++;
      if (outcome.ok) result.succeeded++;
      else result.failed++;
      if (outcome.disabled) result.disabled++;
    });
    if (claimed.length < batchSize || Date.now() - started > budgetMs) break;
  }
  result.nextDueInMs = await nextDueInMs(db, options.workspaceIds);
  return result;
}

const scopeOf = (workspaceIds?: readonly string[]) =>
  workspaceIds ? sql`and d.workspace_id = any(${sql.param([...workspaceIds])}::uuid[])` : sql``;

async function claimDue(db: Database, limit: number, leaseMs: number, workspaceIds?: readonly string[]): Promise<Claimed[]> {
  return db.execute<Claimed>(sql`
    with due as (
      select d.id from webhook_deliveries d
      join webhook_endpoints e on e.id = d.endpoint_id and e.enabled
      where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
        ${scopeOf(workspaceIds)}
      order by d.next_attempt_at
      limit ${limit}
      for update of d skip locked
    )
    update webhook_deliveries d set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    from due, webhook_events ev, webhook_endpoints e
    where d.id = due.id and ev.id = d.event_id and e.id = d.endpoint_id
    returning d.id, d.workspace_id, d.endpoint_id, d.attempts, d.max_attempts, ev.type, ev.data,
              ev.created_at as occurred_at, e.url, e.secret_ciphertext, e.secret_key_id,
              case when e.previous_secret_expires_at > now() then e.previous_secret_ciphertext end as previous_secret_ciphertext,
              case when e.previous_secret_expires_at > now() then e.previous_secret_key_id end as previous_secret_key_id`);
}

async function nextDueInMs(db: Database, workspaceIds?: readonly string[]): Promise<number | null> {
  const [row] = await db.execute<{ ms: string | null }>(sql`
    select (case when min(d.next_attempt_at) is null then null
                 else greatest(0, extract(epoch from min(d.next_attempt_at) - now()) * 1000) end)::bigint as ms
    from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id and e.enabled
    where d.status = 'pending' ${scopeOf(workspaceIds)}`);
  return row?.ms == null ? null : Number(row.ms);
}

/** Opened once per endpoint and ciphertext in this process: a batch of one endpoint's deliveries decrypts once. */
const openedSecrets = new Map<string, string>();
function secretOf(
  d: Claimed,
  sealed: { ciphertext: string; keyId: string } = { ciphertext: d.secret_ciphertext, keyId: d.secret_key_id },
): string {
  const key = `${d.endpoint_id}:${sealed.keyId}:${sealed.ciphertext}`;
  let secret = openedSecrets.get(key);
  if (!secret) {
    secret = openSigningSecret(sealed, d.workspace_id, d.endpoint_id);
    if (openedSecrets.size > 1000) openedSecrets.clear();
    openedSecrets.set(key, secret);
  }
  return secret;
}

async function attemptDelivery(db: Database, d: Claimed, options: DeliverOptions & { schedule: readonly number[] }) {
  const attempt = d.attempts + 1;
  const startedAt = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const secret = secretOf(d);
    const signed = signDelivery({
      secret,
      previousSecret:
        d.previous_secret_ciphertext && d.previous_secret_key_id
          ? secretOf(d, { ciphertext: d.previous_secret_ciphertext, keyId: d.previous_secret_key_id })
          : null,
      webhookId: webhookIdOf(d.id),
      type: d.type,
      occurredAt: new Date(d.occurred_at),
      data: d.data,
      now: new Date(),
    });
    const answer = await postPublic(d.url, signed, { ...options, maxBytes: 2_048 });
    statusCode = answer.status;
    if (answer.status < 200 || answer.status > 299) {
      const snippet = answer.body.replace(/\s+/g, " ").trim().slice(0, 300);
      error = `The endpoint answered ${answer.status}${snippet ? `: ${snippet}` : "."}`;
    }
  } catch (caught) {
    error = (caught instanceof Error ? caught.message : String(caught)).slice(0, 1000) || "The request failed.";
  }
  const ok = error === null;
  const manual = d.max_attempts !== null;
  const delay = manual && attempt >= d.max_attempts! ? null : retryDelayAfter(attempt, options.schedule);
  const finalFailure = !ok && delay === null;
  const durationMs = Date.now() - startedAt;
  if (ok) {
    // One statement (atomic on its own): the attempt, the delivery, and the endpoint's success
    // only when it changes something, so concurrent successes do not queue on the endpoint's row.
    await db.execute(sql`
      with a as (
        insert into webhook_delivery_attempts (workspace_id, delivery_id, attempt, ok, status_code, error, duration_ms, manual)
        values (${d.workspace_id}, ${d.id}, ${attempt}, true, ${statusCode}, null, ${durationMs}, ${manual})
        on conflict (delivery_id, attempt) do nothing
        returning delivery_id),
      d as (
        update webhook_deliveries set attempts = ${attempt}, status = 'succeeded', completed_at = now(), lease_until = null,
          last_status_code = ${statusCode}, last_error = null
        where id in (select delivery_id from a) and attempts = ${d.attempts}),
      e as (
        update webhook_endpoints set consecutive_failed_events = 0, failing_since = null, last_success_at = now()
        where id = ${d.endpoint_id} and exists (select 1 from a)
          and (consecutive_failed_events <> 0 or failing_since is not null or last_success_at is null
               or last_success_at < now() - interval '1 minute'))
      select 1`);
    return { ok, disabled: false };
  }
  return withServiceTx(async (tx) => {
    const inserted = await tx.execute(sql`
      insert into webhook_delivery_attempts (workspace_id, delivery_id, attempt, ok, status_code, error, duration_ms, manual)
      values (${d.workspace_id}, ${d.id}, ${attempt}, false, ${statusCode}, ${error}, ${durationMs}, ${manual})
      on conflict (delivery_id, attempt) do nothing
      returning id`);
    // Another worker recorded this attempt (a lease that ran out): its outcome stands.
    if (inserted.length === 0) return { ok, disabled: false };
    await tx.execute(sql`
      update webhook_deliveries set
        attempts = ${attempt},
        status = ${finalFailure ? "failed" : "pending"}::webhook_delivery_status,
        next_attempt_at = case when ${!finalFailure} then now() + make_interval(secs => ${(delay ?? 0) / 1000}) else next_attempt_at end,
        completed_at = case when ${finalFailure} then now() else null end,
        lease_until = null,
        last_status_code = ${statusCode},
        last_error = ${error}
      where id = ${d.id} and attempts = ${d.attempts}`);
    return { ok, disabled: await recordFailure(tx, d, finalFailure && !manual) };
  });
}

/**
 * Counts a failure against the endpoint and disables it, telling the workspace's admins, once
 * DISABLE_AFTER_FAILED_EVENTS events in a row failed every attempt or it has failed for
 * DISABLE_AFTER_FAILING_DAYS days without a success.
 */
async function recordFailure(tx: Database, d: Claimed, eventExhausted: boolean): Promise<boolean> {
  // Locked first: concurrent failures of one endpoint count one after the other.
  const [endpoint] = await tx.execute<{ url: string; enabled: boolean; failed_events: number; failing_for_days: number }>(sql`
    select url, enabled, consecutive_failed_events + ${eventExhausted ? 1 : 0} as failed_events,
           coalesce(extract(epoch from now() - failing_since) / 86400, 0)::float8 as failing_for_days
    from webhook_endpoints where id = ${d.endpoint_id} for update`);
  if (!endpoint) return false;
  const disable =
    endpoint.enabled && (endpoint.failed_events >= DISABLE_AFTER_FAILED_EVENTS || endpoint.failing_for_days >= DISABLE_AFTER_FAILING_DAYS);
  const reason = disable
    ? endpoint.failed_events >= DISABLE_AFTER_FAILED_EVENTS
      ? `Disabled automatically: ${endpoint.failed_events} events in a row could not be delivered after every retry.`
      : `Disabled automatically: every delivery failed for ${DISABLE_AFTER_FAILING_DAYS} days.`
    : null;
  await tx.execute(sql`
    update webhook_endpoints set
      failing_since = coalesce(failing_since, now()),
      consecutive_failed_events = ${endpoint.failed_events},
      enabled = enabled and not ${disable},
      disabled_at = case when ${disable} then now() else disabled_at end,
      disabled_reason = case when ${disable} then ${reason} else disabled_reason end
    where id = ${d.endpoint_id}`);
  if (!disable) return false;
  await notify(tx, {
    workspaceId: d.workspace_id,
    actorId: null,
    to: { roles: ["admin"] },
    kind: "webhook_endpoint_disabled",
    title: "A webhook endpoint was disabled after repeated failures",
    body: `${endpoint.url} failed every delivery attempt. No events are sent to it until an admin enables it again in Settings → Webhooks.`,
    link: "/settings/webhooks",
    subjectId: d.endpoint_id,
  });
  return true;
}

async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
