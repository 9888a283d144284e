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
  /** Send to https:// only (production's rule, defaultTargetOptions); checked again at each attempt. */
  requireHttps?: boolean;
  /** Waits before each retry (ms); WEBHOOK_RETRY_SCHEDULE by default. */
  schedule?: readonly number[];
  /** Deliveries claimed at a time, and how many are sent at once. */
  batchSize?: number;
  concurrency?: number;
  /** At most this many of one workspace's deliveries sent at once (all but a fifth of `concurrency` by default). */
  perWorkspace?: number;
  /** At most this many of one endpoint's deliveries in a claim (`perWorkspace` by default). */
  perEndpoint?: number;
  /** Stop claiming more after this long (the job's step should end well before its timeout). */
  budgetMs?: number;
  /**
   * A claim is held this long (by default as long as the whole round can take); a crashed
   * worker's claims are taken again after it. Each send holds its row again for its own time.
   */
  leaseMs?: number;
  /** Only these workspaces' deliveries (tests share one database). */
  workspaceIds?: readonly string[];
};

type Claimed = {
  id: string;
  /** The claim's lease as stored: the token that says this run still holds the row. */
  lease: string;
  workspace_id: string;
  endpoint_id: string;
  attempts: number;
  max_attempts: number | null;
  type: string;
  data: unknown;
  occurred_at: string;
};

/** Where and how a delivery is sent: its endpoint as it is just before the send (leaseForSend). */
type SendTo = {
  url: string;
  secret_ciphertext: string;
  secret_key_id: string;
  /** Set while a rotation's grace lasts. */
  previous_secret_ciphertext: string | null;
  previous_secret_key_id: string | null;
};

export type DeliverResult = { attempted: number; succeeded: number; failed: number; disabled: number; nextDueInMs: number | null };

/** Held beyond a send's own timeout: signing before it, recording its outcome after it. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Sends every delivery that is due until none is or the budget is spent, `concurrency` at a
 * time, and no workspace more than `perWorkspace` at once while another has deliveries waiting:
 * the workers left over are kept for the others, so one workspace's backlog or slow receivers
 * (twenty endpoints answering just inside the timeout, none failing) cannot hold back everyone
 * else's events. There are no rounds: a worker takes the next delivery of the least busy
 * workspace as soon as it is free, and rows are claimed again when none it may take is left.
 *
 * Rows are claimed FOR UPDATE SKIP LOCKED and leased, and each one is leased again just before
 * its POST for as long as the POST can take, only if the claim still holds: a row whose claim ran
 * out while it waited its turn and that another run took is left to that run, so no two runs
 * ever send the same delivery at once; rows still waiting when the budget is spent are given
 * back. Each attempt is signed (Standard Webhooks), posted through the SSRF guard (public
 * addresses only, after DNS and on redirect), and recorded with the delivery's next state in one
 * transaction; the attempt row is unique per (delivery, attempt).
 */
export async function deliverDueWebhooks(db: Database, options: DeliverOptions = {}): Promise<DeliverResult> {
  const started = Date.now();
  const budgetMs = options.budgetMs ?? 40_000;
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 20;
  // By default a fifth of the workers (at least one) stay free for the other workspaces.
  const perWorkspace = Math.max(1, Math.min(concurrency, options.perWorkspace ?? concurrency - Math.max(1, Math.floor(concurrency / 5))));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const sendLeaseMs = timeoutMs + LEASE_MARGIN_MS;
  // A claimed row may wait for its workspace's turn: its share of the claim, perWorkspace at a time.
  const claimLeaseMs = options.leaseMs ?? Math.ceil(batchSize / perWorkspace) * timeoutMs + LEASE_MARGIN_MS;
  const resolved = { ...options, timeoutMs, schedule: options.schedule ?? parseRetrySchedule(env().WEBHOOK_RETRY_SCHEDULE) };
  const target = defaultTargetOptions();
  if (!options.allowAddress) Object.assign(resolved, { allowAddress: target.allowAddress });
  if (options.requireHttps === undefined) Object.assign(resolved, { requireHttps: target.requireHttps });
  const result: DeliverResult = { attempted: 0, succeeded: 0, failed: 0, disabled: 0, nextDueInMs: null };

  const queue: Claimed[] = [];
  const busy = new Map<string, number>();
  let sending = 0;
  const overBudget = () => Date.now() - started > budgetMs;
  // Claims run one at a time; a worker needing one while another runs waits for that one.
  let claiming: Promise<void> | null = null;
  let lastClaimAt = 0;
  let lastClaimFound = true;
  // The first error ends the run: every worker stops taking work, and the run fails with it.
  let failure: { error: unknown } | null = null;
  const claim = () =>
    (claiming ??= (async () => {
      // A workspace with a turn's worth waiting already is not claimed for again: its rows would
      // only wait here, leased, while others' were not claimed at all.
      const waiting = new Map<string, number>();
      for (const d of queue) waiting.set(d.workspace_id, (waiting.get(d.workspace_id) ?? 0) + 1);
      const rows = await claimDue(db, {
        limit: batchSize,
        perEndpoint: options.perEndpoint ?? perWorkspace,
        leaseMs: claimLeaseMs,
        workspaceIds: options.workspaceIds,
        skipWorkspaceIds: [...waiting].filter(([, n]) => n >= perWorkspace).map(([id]) => id),
      });
      queue.push(...rows);
      lastClaimAt = Date.now();
      lastClaimFound = rows.length > 0;
    })()
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        claiming = null;
      }));
  /** The next delivery of the least busy workspace that may send one more now. */
  const take = (): Claimed | undefined => {
    let best = -1;
    let bestLoad = perWorkspace;
    for (let i = 0; i < queue.length && bestLoad > 0; i++) {
      const load = busy.get(queue[i]!.workspace_id) ?? 0;
      if (load < bestLoad) [best, bestLoad] = [i, load];
    }
    return best < 0 ? undefined : queue.splice(best, 1)[0];
  };
  // Woken whenever a send ends: a workspace has a free turn again, or the queue may need a claim.
  let wake = () => {};
  let sendEnded = new Promise<void>((resolve) => (wake = resolve));
  const worker = async () => {
    for (;;) {
      if (failure || overBudget()) return;
      let delivery = take();
      const sinceClaim = Date.now() - lastClaimAt;
      if (delivery) {
        // Busy with what was claimed: still look for newly due rows now and then, without waiting
        // for them, so a workspace whose event just became due does not wait for this queue to drain.
        if (sinceClaim > CLAIM_AGAIN_MS) void claim();
      } else if (lastClaimFound || sinceClaim > EMPTY_CLAIM_PAUSE_MS) {
        // Nothing this worker may take: claim more, unless the last claim found nothing just now
        // (then only a send ending changes anything).
        await claim();
        delivery = take();
      }
      if (!delivery) {
        if (failure || (sending === 0 && queue.length === 0 && !claiming && !lastClaimFound)) return;
        await Promise.race([sendEnded, new Promise((resolve) => setTimeout(resolve, EMPTY_CLAIM_PAUSE_MS))]);
        continue;
      }
      const workspace = delivery.workspace_id;
      busy.set(workspace, (busy.get(workspace) ?? 0) + 1);
      sending++;
      try {
        const to = await leaseForSend(db, delivery, sendLeaseMs);
        if (!to) continue;
        const outcome = await attemptDelivery(db, delivery, to, resolved);
        result.attempted++;
        if (outcome.ok) result.succeeded++;
        else result.failed++;
        if (outcome.disabled) result.disabled++;
      } catch (error) {
        failure ??= { error };
      } finally {
        busy.set(workspace, busy.get(workspace)! - 1);
        sending--;
        const ended = wake;
        sendEnded = new Promise<void>((resolve) => (wake = resolve));
        ended();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await claiming;
  await releaseClaims(db, queue);
  if (failure) throw (failure as { error: unknown }).error;
  result.nextDueInMs = await nextDueInMs(db, options.workspaceIds);
  return result;
}

/** While workers are busy with claimed rows, how often they look for newly due ones. */
const CLAIM_AGAIN_MS = 1_000;

/** How long workers wait after a claim that found nothing before claiming again (a send ending wakes them sooner). */
const EMPTY_CLAIM_PAUSE_MS = 250;

/** Gives back claimed rows that were not sent (the budget was spent): due again at once for the next run. */
async function releaseClaims(db: Database, unsent: readonly Claimed[]): Promise<void> {
  if (unsent.length === 0) return;
  await db.execute(sql`
    update webhook_deliveries d set lease_until = null
    from unnest(${sql.param(unsent.map((u) => u.id))}::uuid[], ${sql.param(unsent.map((u) => u.lease))}::text[]) as u(id, lease)
    where d.id = u.id and d.lease_until = u.lease::timestamptz and d.status = 'pending'`);
}

const scopeOf = (workspaceIds?: readonly string[]) =>
  workspaceIds ? sql`and d.workspace_id = any(${sql.param([...workspaceIds])}::uuid[])` : sql``;

type ClaimOptions = {
  limit: number;
  perEndpoint: number;
  leaseMs: number;
  workspaceIds?: readonly string[];
  /** Workspaces not to claim for this time (enough of theirs is waiting already). */
  skipWorkspaceIds?: readonly string[];
};

/**
 * Claims up to `limit` due rows, at most `perEndpoint` of each endpoint, in turns: every
 * workspace's first row before any workspace's second, and within a workspace every endpoint's
 * first before any endpoint's second, so a claim is shared out across workspaces however long
 * one's backlog or however many its endpoints. The ranking reads all due rows (the due index
 * holds pending rows only, so that is the backlog); the row conditions are repeated where the
 * rows are locked, as only those are checked again on a row another run changed meanwhile.
 */
async function claimDue(
  db: Database,
  { limit, perEndpoint, leaseMs, workspaceIds, skipWorkspaceIds = [] }: ClaimOptions,
): Promise<Claimed[]> {
  return db.execute<Claimed>(sql`
    with by_endpoint as (
      select d.id, d.workspace_id, d.next_attempt_at,
        row_number() over (partition by d.endpoint_id order by d.next_attempt_at, d.id) as endpoint_rank
      from webhook_deliveries d
      join webhook_endpoints e on e.id = d.endpoint_id and e.workspace_id = d.workspace_id and e.enabled
      where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
        ${scopeOf(workspaceIds)}
        ${skipWorkspaceIds.length > 0 ? sql`and d.workspace_id <> all(${sql.param([...skipWorkspaceIds])}::uuid[])` : sql``}
    ),
    ranked as (
      select b.id, b.next_attempt_at,
        row_number() over (partition by b.workspace_id order by b.endpoint_rank, b.next_attempt_at, b.id) as rank
      from by_endpoint b where b.endpoint_rank <= ${perEndpoint}
    ),
    due as (
      select d.id, r.rank from webhook_deliveries d join ranked r on r.id = d.id
      where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
      order by r.rank, r.next_attempt_at, d.id
      limit ${limit}
      for update of d skip locked
    ),
    claimed as (
      update webhook_deliveries d set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
      from due, webhook_events ev
      where d.id = due.id and ev.id = d.event_id and ev.workspace_id = d.workspace_id
      returning d.id, d.lease_until::text as lease, due.rank, d.next_attempt_at, d.workspace_id, d.endpoint_id, d.attempts,
                d.max_attempts, ev.type, ev.data, ev.created_at as occurred_at
    )
    select * from claimed order by rank, next_attempt_at, id`);
}

/**
 * Holds a claimed row for its send, just before it: only while this run's claim still holds
 * (same lease, still pending at the same attempt). A claim that ran out while the row waited its
 * turn may have been taken by another run, which then sends it. The lease a claim writes (its
 * transaction's now(), to the microsecond, plus the lease) tells one claim from another.
 *
 * The endpoint is read again here, not trusted from the claim, which a round's last sends follow
 * by minutes: an endpoint disabled since is not sent to (its rows wait, pending, until it is
 * enabled); a changed URL or a rotated secret is used at once (an admin rotates a secret that
 * leaked); and a delivery of an event type the endpoint no longer subscribes to ends, failed
 * with that reason, unless an admin asked for it again by hand.
 */
async function leaseForSend(db: Database, d: Claimed, leaseMs: number): Promise<SendTo | null> {
  const [held] = await db.execute<SendTo & { lease: string | null; subscribed: boolean }>(sql`
    with current as (
      select d.id, (d.max_attempts is not null or ev.type = any(e.event_types)) as subscribed, ev.type, e.url,
        e.secret_ciphertext, e.secret_key_id,
        case when e.previous_secret_expires_at > now() then e.previous_secret_ciphertext end as previous_secret_ciphertext,
        case when e.previous_secret_expires_at > now() then e.previous_secret_key_id end as previous_secret_key_id
      from webhook_deliveries d
      join webhook_endpoints e on e.id = d.endpoint_id and e.workspace_id = d.workspace_id and e.enabled
      join webhook_events ev on ev.id = d.event_id and ev.workspace_id = d.workspace_id
      where d.id = ${d.id} and d.status = 'pending' and d.attempts = ${d.attempts} and d.lease_until = ${d.lease}::timestamptz
    )
    update webhook_deliveries d set
      lease_until = case when c.subscribed then now() + make_interval(secs => ${leaseMs / 1000}) end,
      status = case when c.subscribed then d.status else 'failed' end,
      completed_at = case when c.subscribed then d.completed_at else now() end,
      last_error = case when c.subscribed then d.last_error
        else 'Not sent: the endpoint no longer subscribes to ' || c.type || ' events.' end
    from current c
    -- Again here, not only in the CTE's snapshot: a row another run leased meanwhile is re-read
    -- after its lock, and only these conditions, checked on that version, keep this run off it.
    where d.id = c.id and d.status = 'pending' and d.attempts = ${d.attempts} and d.lease_until = ${d.lease}::timestamptz
    returning d.lease_until::text as lease, c.subscribed, c.url, c.secret_ciphertext, c.secret_key_id,
      c.previous_secret_ciphertext, c.previous_secret_key_id`);
  if (!held?.subscribed) return null;
  d.lease = held.lease!;
  return held;
}

/** A row another run holds is due for this one when its lease ends, not before: the job does not spin on it. */
async function nextDueInMs(db: Database, workspaceIds?: readonly string[]): Promise<number | null> {
  const [row] = await db.execute<{ ms: string | null }>(sql`
    with due as (
      select min(greatest(d.next_attempt_at, coalesce(d.lease_until, d.next_attempt_at))) as at
      from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id and e.workspace_id = d.workspace_id and e.enabled
      where d.status = 'pending' ${scopeOf(workspaceIds)})
    select (case when at is null then null else greatest(0, extract(epoch from at - now()) * 1000) end)::bigint as ms from due`);
  return row?.ms == null ? null : Number(row.ms);
}

/** Opened once per endpoint and ciphertext in this process: a batch of one endpoint's deliveries decrypts once. */
const openedSecrets = new Map<string, string>();
function secretOf(d: Claimed, sealed: { ciphertext: string; keyId: string }): string {
  const key = `${d.endpoint_id}:${sealed.keyId}:${sealed.ciphertext}`;
  let secret = openedSecrets.get(key);
  if (!secret) {
    secret = openSigningSecret(sealed, d.workspace_id, d.endpoint_id);
    if (openedSecrets.size > 1000) openedSecrets.clear();
    openedSecrets.set(key, secret);
  }
  return secret;
}

async function attemptDelivery(db: Database, d: Claimed, to: SendTo, options: DeliverOptions & { schedule: readonly number[] }) {
  const attempt = d.attempts + 1;
  const startedAt = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const signed = signDelivery({
      secret: secretOf(d, { ciphertext: to.secret_ciphertext, keyId: to.secret_key_id }),
      previousSecret:
        to.previous_secret_ciphertext && to.previous_secret_key_id
          ? secretOf(d, { ciphertext: to.previous_secret_ciphertext, keyId: to.previous_secret_key_id })
          : null,
      webhookId: webhookIdOf(d.id),
      type: d.type,
      occurredAt: new Date(d.occurred_at),
      data: d.data,
      now: new Date(),
    });
    // The address was checked when saved, but an admin's token may also write the row directly
    // (the table's UPDATE grant covers url): leads' data never leaves over plain http in production.
    if (options.requireHttps && !/^https:\/\//i.test(to.url)) {
      throw new Error("Not sent: the endpoint's address does not start with https://. Change it to an https:// address.");
    }
    const answer = await postPublic(to.url, signed, { ...options, maxBytes: 2_048 });
    statusCode = answer.status;
    if (answer.status < 200 || answer.status > 299) {
      // Control characters go too: a NUL, which PostgreSQL cannot store, failed the statement
      // that records the attempt, so a receiver answering one stalled every workspace's deliveries.
      const snippet = storableText(answer.body).slice(0, 300);
      error = `The endpoint answered ${answer.status}${snippet ? `: ${snippet}` : "."}`;
    }
  } catch (caught) {
    error = storableText(caught instanceof Error ? caught.message : String(caught)).slice(0, 1000) || "The request failed.";
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
 * DISABLE_AFTER_FAILED_EVENTS events in a row failed every attempt, or when an event failed every
 * attempt DISABLE_AFTER_FAILING_DAYS days or more after the endpoint's first failure with no
 * success since. Only an event's last attempt decides: after a quiet spell, the first attempt of
 * a new event failing said nothing of the days in between, and disabled the endpoint with six
 * retries of that event still to come.
 */
async function recordFailure(tx: Database, d: Claimed, eventExhausted: boolean): Promise<boolean> {
  // Locked first: concurrent failures of one endpoint count one after the other.
  const [endpoint] = await tx.execute<{ url: string; enabled: boolean; failed_events: number; failing_for_days: number }>(sql`
    select url, enabled, consecutive_failed_events + ${eventExhausted ? 1 : 0} as failed_events,
           coalesce(extract(epoch from now() - failing_since) / 86400, 0)::float8 as failing_for_days
    from webhook_endpoints where id = ${d.endpoint_id} for update`);
  if (!endpoint) return false;
  const disable =
    endpoint.enabled &&
    eventExhausted &&
    (endpoint.failed_events >= DISABLE_AFTER_FAILED_EVENTS || endpoint.failing_for_days >= DISABLE_AFTER_FAILING_DAYS);
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

/** A receiver's words as one line of text PostgreSQL can store: whitespace and control characters as single spaces. */
function storableText(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
}
