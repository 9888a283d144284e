import "server-only";
import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { pgArray } from "@/db/pg-array";
import { Batcher } from "@/lib/batching/batcher";
import type { Executor } from "@/db";
import type { EnrollmentEndCause } from "@/db/schema";
import { describeProblem } from "@/lib/campaigns/templates/send-campaign-test-email";
import { renderCampaignEmail } from "@/lib/campaigns/templates/render-campaign-email";
import { templateValuesOf } from "@/lib/campaigns/templates/template-values";
import { signUnsubscribeToken, unsubscribeUrl } from "@/lib/campaigns/unsubscribe-token";
import { approvedContent, type ApprovedContent } from "./approved-content";
import { chooseVariant } from "./choose-variant";
import { rfcMessageId, threadHeaders } from "./email-headers";
import { leadRefusal, leadStatusSendable } from "./lead-refusal";
import { loadSendState, type SendState, type StoredMessage } from "./load-send-state";
import { moveCapDay } from "./move-cap-day";
import { isInWindow, isKnownTimeZone, nextWindowStart, stepDueAt, type SendingWindow } from "@/lib/sending/window";
import { capDay, releaseSend, reserveSend, type Reservation } from "@/lib/sending/capacity";
import { suppressionMatch } from "@/lib/suppressions/suppression-match";
import { DEFER_LIVE, liveNotices, noteLive } from "@/lib/live/deferred-notices";
import type { SendInput, SendOutcome } from "./types";

/**
 * What the claim decided: an outcome to return now, or a message ready for the provider
 * (`checked`: already moved to `sending` by the claim's own last check, see claimNewMessages),
 * or, for a claim made without the lock, that this case needs the locked claim.
 */
export type Claim =
  | { kind: "outcome"; outcome: SendOutcome; enrollmentEnded: boolean }
  | {
      kind: "send";
      message: StoredMessage & { to_email: string; subject: string; text_body: string };
      approvedHash: string;
      /** What the claim read, for moving the enrollment on after the send without reading it again. */
      state: SendState;
      content: ApprovedContent;
      checked: boolean;
    }
  | { kind: "locked" };

export type ClaimOptions = {
  /**
   * The common case without a transaction (sendNextStep's first round): the state read without
   * the lock and, when it is a new email that passes every check, the message claimed, its place
   * under the cap taken and the last check made in ONE statement (claimNewMessages, shared with
   * the claims that start together). Any other case answers `locked`, for the caller to claim in
   * a transaction as usual.
   */
  unlocked?: boolean;
  /** Tests: runs after the checks and the render, before the unlocked claim's statement. */
  beforeClaim?: (messageId: string) => Promise<void>;
};

/**
 * Resend keeps an Idempotency-Key for 24 hours; a message whose first attempt may have left is
 * retried under its key only while the provider still remembers it, with an hour to spare.
 */
const IDEMPOTENCY_KEY_LIFETIME_MS = 23 * 60 * 60 * 1000;

/** A due time this close counts as now: clocks of the database, the executor and this process differ by a little. */
const DUE_SLACK_MS = 1_000;

const done = (outcome: Extract<SendOutcome, { next: "done" }>["outcome"], enrollmentEnded = false): Claim => ({
  kind: "outcome",
  outcome: { next: "done", outcome },
  enrollmentEnded,
});

/**
 * The first half of the send step, in one transaction with the enrollment locked: every check
 * of DESIGN.md §7 that can be made before the provider is called, then (for a new message)
 * the render, the capacity reservation and the message row with its rendered content, so a
 * later retry sends exactly this. A message left `queued` or `sending` by an attempt that died
 * is picked up again rather than created twice (the unique key would refuse a second row).
 */
export async function claimStep(tx: Executor, input: SendInput, now: Date, options: ClaimOptions = {}): Promise<Claim> {
  const unlocked = options.unlocked ?? false;
  const s = await loadSendState(tx, input, { lock: !unlocked });
  // Without the lock, only a new email that passes everything is claimed; the rest is decided under it.
  if (unlocked && !(s && s.generation === input.generation && s.enrollment_status === "active" && s.campaign_status === "running"))
    return LOCKED;
  if (!s) return done("missing");
  if (s.generation !== input.generation) return done("superseded");
  if (s.enrollment_status !== "active") return done("ended");
  const position = s.next_step;
  const pending = s.messages.find((m) => m.step_position === position && (m.status === "queued" || m.status === "sending"));

  // The campaign: running, and its content still the approved content. Otherwise hold: the
  // enrollment stays where it is, for a resume (a new generation) to continue from.
  if (s.campaign_status !== "running") {
    await dropQueued(tx, s, pending);
    return done("held");
  }
  const content = await approvedContent(tx, {
    campaignId: s.campaign_id,
    updatedAt: s.campaign_updated_at,
    approvedHash: s.approved_content_hash,
  });
  if (unlocked && (!content || !s.approved_content_hash)) return LOCKED;
  if (!content || !s.approved_content_hash) {
    await dropQueued(tx, s, pending);
    return done("content_changed");
  }
  const steps = [...content.steps].sort((a, b) => a.position - b.position);
  const step = steps.find((p) => p.position === position);
  if (unlocked && (!step || s.messages.some((m) => m.step_id === step.id) || leadRefusal(s))) return LOCKED;
  if (!step) {
    await completeEnrollment(tx, s, position);
    return done("completed", true);
  }
  const existing = s.messages.find((m) => m.step_id === step.id);
  if (existing?.status === "sent") {
    // Sent by a run that lost its enrollment to a newer generation before it could advance.
    return { kind: "outcome", ...(await advanceAfterSend(tx, s, content, position, existing.sent_at ?? now.getTime(), now)) };
  }
  if (existing?.status === "failed" || existing?.status === "skipped") return done("ended");

  const refusal = leadRefusal(s);
  if (refusal) {
    await refuseLead(tx, s, { stepId: step.id, position, message: existing, refusal });
    return done("skipped", true);
  }
  if (!s.identity_id || s.daily_cap === null || !s.send_days || s.send_from_minute === null || s.send_until_minute === null) {
    if (unlocked) return LOCKED;
    await dropQueued(tx, s, existing);
    return done("no_identity");
  }
  const window: SendingWindow = { days: s.send_days, fromMinute: s.send_from_minute, untilMinute: s.send_until_minute };
  const zone = leadZone(s);
  const due = s.next_send_at === null || s.next_send_at <= now.getTime() + DUE_SLACK_MS;
  if (unlocked && !(due && isInWindow(now, window, zone))) return LOCKED;

  if (existing?.status === "sending") {
    // Handed to the provider by an attempt whose fate is unknown (a timeout, a process killed
    // mid-call): only the same Idempotency-Key may send it again, only while the provider still
    // remembers that key, only inside the window, and only while its text is still the approved
    // one (after an edit and a new approval it would send what is no longer approved).
    if (existing.content_hash !== s.approved_content_hash) {
      await failUnknown(tx, s, existing, CONTENT_CHANGED_UNKNOWN);
      return done("failed", true);
    }
    const keyRemembered = (at: Date) => at.getTime() - existing.created_at < IDEMPOTENCY_KEY_LIFETIME_MS;
    const retryAt = isInWindow(now, window, zone) ? now : nextWindowStart(now, window, zone);
    if (!keyRemembered(retryAt)) {
      await failUnknown(tx, s, existing);
      return done("failed", true);
    }
    if (retryAt !== now) return holdUntil(tx, s, retryAt, position, "window");
    // It goes today: under today's cap (after the mailbox's midnight, a place of the new day),
    // else at the next day's first place in the window, while the provider remembers its key.
    const placed = await moveCapDay(tx, { workspaceId: input.workspaceId, messageId: existing.id, at: now });
    if (!placed || placed.ok) return ready(movedTo(existing, placed), s.approved_content_hash, s, content);
    const nextPlace = nextWindowStart(placed.retryAt, window, zone);
    if (!keyRemembered(nextPlace)) {
      await failUnknown(tx, s, existing, CAP_FULL_UNKNOWN);
      return done("failed", true);
    }
    return holdUntil(tx, s, nextPlace, position, "cap");
  }
  if (existing?.status === "queued") {
    // Never taken by the provider (settle requeues only answered refusals): sent as stored
    // while its text is the approved one, the window is open and today's cap has room (its
    // place moved to today after the mailbox's midnight), else written anew when due.
    if (existing.content_hash === s.approved_content_hash && isInWindow(now, window, zone)) {
      const placed = await moveCapDay(tx, { workspaceId: input.workspaceId, messageId: existing.id, at: now });
      if (!placed || placed.ok) return ready(movedTo(existing, placed), s.approved_content_hash, s, content);
    }
    await dropQueued(tx, s, existing);
  }

  // Not due yet (a run started early, or woke a moment before its time), or outside the window.
  if (s.next_send_at !== null && s.next_send_at > now.getTime() + DUE_SLACK_MS) {
    return { kind: "outcome", outcome: sleep(new Date(s.next_send_at), position, "due"), enrollmentEnded: false };
  }
  if (!isInWindow(now, window, zone)) return holdUntil(tx, s, nextWindowStart(now, window, zone), position, "window");

  const identity = content.identities.find((i) => i.id === s.identity_id);
  const variant = chooseVariant(step.variants, { enrollmentId: s.enrollment_id, stepId: step.id });
  if (unlocked && !(identity && variant)) return LOCKED;
  if (!identity || !variant) {
    await dropQueued(tx, s, existing);
    return done("content_changed");
  }
  const rendered = renderCampaignEmail({
    subject: variant.subject,
    body: variant.body,
    values: templateValuesOf({
      firstName: s.first_name,
      lastName: s.last_name,
      email: s.lead_email,
      title: s.title,
      seniority: s.seniority,
      department: s.department,
      companyName: s.company_name,
      city: s.city,
      country: s.country,
      customFields: s.custom_fields ?? {},
      enrichment: s.enrichment ?? {},
    }),
    identity,
    unsubscribeUrl: unsubscribeUrl(signUnsubscribeToken({ workspaceId: input.workspaceId, leadId: s.lead_id, campaignId: s.campaign_id })),
    plainTextOnly: content.plainTextOnly,
  });
  if (unlocked && !rendered.ok) return LOCKED;
  if (!rendered.ok) {
    const reason = `Step ${position}, variant ${variant.label}: ${describeProblem(rendered.problems[0])}`;
    await refuseLead(tx, s, { stepId: step.id, position, message: undefined, refusal: { cause: "render_failed", reason } });
    return done("skipped", true);
  }

  const place = {
    workspaceId: input.workspaceId,
    identityId: s.identity_id,
    dailyCap: s.daily_cap,
    identityTimeZone: s.identity_time_zone ?? "UTC",
    at: now,
  };
  const reserved = unlocked ? ({ ok: true, day: capDay(place) } as const) : await reserveSend(tx, place);
  if (!reserved.ok) return holdUntil(tx, s, nextWindowStart(reserved.retryAt, window, zone), position, "cap");

  const id = randomUUID();
  const rfcId = rfcMessageId(id, identity.fromEmail);
  const earlier = s.messages
    .filter((m) => m.status === "sent" && m.step_position < position && m.rfc_message_id)
    .map((m) => m.rfc_message_id!);
  const email = rendered.email;
  const message = {
    id,
    status: (unlocked ? "sending" : "queued") as StoredMessage["status"],
    step_position: position,
    step_id: step.id,
    cap_day: reserved.day,
    sent_at: null,
    created_at: now.getTime(),
    rfc_message_id: rfcId,
    to_email: s.lead_email!.trim(),
    from_address: email.from,
    reply_to: email.replyTo,
    subject: email.subject,
    html: email.html,
    text_body: email.text,
    headers: { ...email.headers, ...threadHeaders({ messageId: rfcId, earlier }) },
    content_hash: s.approved_content_hash,
  };
  const variantId = content.variantIds.get(`${step.id} ${variant.label}`) ?? null;
  if (unlocked) {
    await options.beforeClaim?.(id);
    const claimed = await claimBatcher(tx).submit({
      enrollmentId: input.enrollmentId,
      workspaceId: input.workspaceId,
      campaignId: s.campaign_id,
      generation: input.generation,
      position,
      identityId: s.identity_id,
      dailyCap: s.daily_cap,
      day: reserved.day,
      approvedHash: s.approved_content_hash,
      messageId: id,
      stepId: step.id,
      variantId,
      variantLabel: variant.label,
      toEmail: message.to_email,
      fromAddress: message.from_address,
      replyTo: message.reply_to,
      subject: message.subject,
      html: message.html,
      textBody: message.text_body,
      headers: JSON.stringify(message.headers),
      rfcMessageId: rfcId,
      createdAt: now.toISOString(),
    });
    return claimed ? ready(message, s.approved_content_hash, s, content, true) : LOCKED;
  }
  const columns = sql`${id}, ${input.workspaceId}, ${s.campaign_id}, ${s.enrollment_id}, ${step.id}, ${position},
      ${variantId}, ${variant.label}, ${s.lead_id}, ${s.identity_id},
      ${message.to_email}, ${message.from_address}, ${message.reply_to}, ${message.subject}, ${message.html}, ${message.text_body},
      ${JSON.stringify(message.headers)}::jsonb, ${rfcId}, ${reserved.day}::date, ${now.toISOString()}::timestamptz, ${s.approved_content_hash}`;
  await tx.execute(sql`
    insert into public.email_messages (id, workspace_id, campaign_id, enrollment_id, step_id, step_position, variant_id,
      variant_label, lead_id, identity_id, to_email, from_address, reply_to, subject, html, text_body, headers,
      rfc_message_id, cap_day, created_at, content_hash, status)
    values (${columns}, 'queued')`);
  return ready(message, s.approved_content_hash, s, content);
}

const LOCKED: Claim = { kind: "locked" };

/**
 * The stored message with the day it now counts on. A message no longer waiting (`placed`
 * null: sent or failed by another attempt meanwhile) goes on as read: the last check refuses
 * it, and the next round decides on what happened.
 */
function movedTo(message: StoredMessage, placed: Reservation | null): StoredMessage {
  return placed?.ok ? { ...message, cap_day: placed.day } : message;
}

/** One unlocked claim of a new email: everything claimNewMessages writes and checks for it. */
type NewClaim = {
  enrollmentId: string;
  workspaceId: string;
  /** For the live notice the claim sends after its commit (the statement itself stays silent). */
  campaignId: string;
  generation: number;
  position: number;
  identityId: string;
  dailyCap: number;
  /** The identity's local date the place counts against (capDay). */
  day: string;
  approvedHash: string;
  messageId: string;
  stepId: string;
  variantId: string | null;
  variantLabel: string;
  toEmail: string;
  fromAddress: string | null;
  replyTo: string | null;
  subject: string;
  html: string | null;
  textBody: string;
  /** JSON text. */
  headers: string;
  rfcMessageId: string;
  /** ISO timestamp. */
  createdAt: string;
};

/** How many unlocked claims went in how many statements (the tests read it). */
export const claimStatements = { statements: 0, claims: 0, largest: 0 };

/** One batcher per pool: a claim joins the others sent through the same pool (the runs of one executor claim round). */
const claimBatchers = new WeakMap<Executor, Batcher<NewClaim, boolean>>();

function claimBatcher(db: Executor): Batcher<NewClaim, boolean> {
  let batcher = claimBatchers.get(db);
  if (!batcher) {
    batcher = new Batcher((claims) => claimNewMessages(db, claims));
    claimBatchers.set(db, batcher);
  }
  return batcher;
}

/**
 * The unlocked claims of new emails, several in ONE statement (one round trip, one commit for
 * the sends that start together; the mailboxes' usage rows locked only from their increment to
 * that commit). For each claim, as its own row with its own conditions:
 *
 * 1. the enrollment locked (in key order, so two such statements never wait on each other in a
 *    circle), still active, this run's and at this step (a run of an older generation in the
 *    middle of its own claim is waited for, then the row is checked again);
 * 2. the last check of passLastCheck, on the same rows: the campaign running with the approved
 *    content, the lead not deleted, replied, unsubscribed or bounced, its address the one
 *    rendered and not suppressed;
 * 3. only then a place under its mailbox's cap. The claims that passed are counted per mailbox
 *    and day, and each usage row moves ONCE (a row may not be updated twice in one statement)
 *    by as many places as are left, never past the cap: created at min(wanted, cap), or raised
 *    to min(sent + wanted, cap) only while below the cap, on the row's latest committed count
 *    (ON CONFLICT … DO UPDATE under READ COMMITTED), as reserveSend does for one. `old.sent` and
 *    `new.sent` (PostgreSQL 18) say how many places were taken; the first claims of the batch
 *    for that mailbox get them, the others get none;
 * 4. and the message row of each claim that got a place, `sending` with its first attempt counted.
 *
 * Per claim, true when its message was claimed; false when a check failed or its mailbox was
 * full: nothing was written for it, the locked claim then decides (and finds the cap full, or
 * the reason). A row for the same (enrollment, step) committed by another run meanwhile makes
 * an insert fail: the whole statement rolls back, the places with it; the Batcher then claims
 * each alone, where that claim answers false and the locked claim decides.
 */
async function claimNewMessages(db: Executor, claims: NewClaim[]): Promise<boolean[]> {
  claimStatements.statements += 1;
  claimStatements.claims += claims.length;
  claimStatements.largest = Math.max(claimStatements.largest, claims.length);
  const column = (pick: (c: NewClaim) => string | number | null) => pgArray(claims.map(pick));
  const enrollmentIds = column((c) => c.enrollmentId);
  try {
    const rows = await db.execute<{ id: string }>(sql`
      with b as (
        select * from unnest(${enrollmentIds}::text::uuid[], ${column((c) => c.workspaceId)}::text::uuid[],
          ${column((c) => c.generation)}::text::int[], ${column((c) => c.position)}::text::int[], ${column((c) => c.identityId)}::text::uuid[],
          ${column((c) => c.dailyCap)}::text::int[], ${column((c) => c.day)}::text::date[], ${column((c) => c.approvedHash)}::text::text[],
          ${column((c) => c.messageId)}::text::uuid[], ${column((c) => c.stepId)}::text::uuid[], ${column((c) => c.variantId)}::text::uuid[],
          ${column((c) => c.variantLabel)}::text::text[], ${column((c) => c.toEmail)}::text::text[], ${column((c) => c.fromAddress)}::text::text[],
          ${column((c) => c.replyTo)}::text::text[], ${column((c) => c.subject)}::text::text[], ${column((c) => c.html)}::text::text[],
          ${column((c) => c.textBody)}::text::text[], ${column((c) => c.headers)}::text::text[], ${column((c) => c.rfcMessageId)}::text::text[],
          ${column((c) => c.createdAt)}::text::timestamptz[])
          with ordinality as b(enrollment_id, workspace_id, generation, position, identity_id, daily_cap, day, approved_hash,
            message_id, step_id, variant_id, variant_label, to_email, from_address, reply_to, subject, html, text_body, headers,
            rfc_message_id, created_at, item)
      ), enrollment as (
        -- By its key; the workspace and the status checked on the row (IS TRUE: see loadSendState on the
        -- planner; stale statistics made the partial index on active enrollments look cheaper), and the
        -- keys again as a list on e itself (loadSendState says why).
        select b.*, e.campaign_id, e.lead_id from b
        join public.campaign_enrollments e on e.id = b.enrollment_id and e.id = any(${enrollmentIds}::text::uuid[])
          and (e.workspace_id = b.workspace_id) is true and (e.status = 'active') is true
          and e.generation = b.generation and e.next_step = b.position and e.identity_id = b.identity_id
        order by e.id
        for update of e
      ), checked as (
        -- The campaign and the lead by their primary keys alone (the enrollment's foreign keys
        -- keep them in its workspace; see loadSendState on why no workspace_id condition).
        select en.*, row_number() over (partition by en.identity_id, en.day order by en.item) as place from enrollment en
        join public.campaigns cp on cp.id = en.campaign_id and cp.status = 'running' and cp.approved_content_hash = en.approved_hash
        join public.leads l on l.id = en.lead_id and l.deleted_at is null
          and ${leadStatusSendable("l", "cp")}
          and lower(btrim(l.email)) = lower(btrim(en.to_email))
        where not ${suppressionMatch(sql`en.workspace_id`, sql`en.to_email`)}
      ), wanted as (
        select workspace_id, identity_id, day, min(daily_cap) as daily_cap, count(*)::int as wanted from checked
        group by workspace_id, identity_id, day
      ), reserved as (
        insert into public.sending_identity_usage as usage (workspace_id, identity_id, day, sent)
        select w.workspace_id, w.identity_id, w.day, least(w.wanted, w.daily_cap) from wanted w
        where w.daily_cap >= 1
        -- In key order, as claims in other statements lock these rows.
        order by w.identity_id, w.day
        on conflict (identity_id, day) do update
          set sent = least(usage.sent + excluded.sent,
            (select w.daily_cap from wanted w where w.identity_id = excluded.identity_id and w.day = excluded.day))
          where usage.sent < (select w.daily_cap from wanted w where w.identity_id = excluded.identity_id and w.day = excluded.day)
            and usage.workspace_id = excluded.workspace_id
        returning new.identity_id, new.day, new.sent - coalesce(old.sent, 0) as taken
      )
      insert into public.email_messages (id, workspace_id, campaign_id, enrollment_id, step_id, step_position, variant_id,
        variant_label, lead_id, identity_id, to_email, from_address, reply_to, subject, html, text_body, headers,
        rfc_message_id, cap_day, created_at, content_hash, status, attempts)
      select c.message_id, c.workspace_id, c.campaign_id, c.enrollment_id, c.step_id, c.position, c.variant_id,
        c.variant_label, c.lead_id, c.identity_id, c.to_email, c.from_address, c.reply_to, c.subject, c.html, c.text_body, c.headers::jsonb,
        c.rfc_message_id, c.day, c.created_at, c.approved_hash, 'sending', 1
      from checked c join reserved r on r.identity_id = c.identity_id and r.day = c.day and c.place <= r.taken
      -- The campaign pages hear of these emails from noteCampaigns once committed.
      returning id, ${DEFER_LIVE} as live_deferred`);
    const claimed = new Set(rows.map((r) => r.id));
    const result = claims.map((c) => claimed.has(c.messageId));
    noteCampaigns(
      db,
      claims.filter((_, i) => result[i]),
    );
    return result;
  } catch (error) {
    // Alone, a claim that met another run's row answers false; in a batch, each is claimed alone.
    if (claims.length === 1 && isUniqueViolation(error)) return [false];
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === "23505") return true;
  return false;
}

function ready(message: StoredMessage, approvedHash: string, state: SendState, content: ApprovedContent, checked = false): Claim {
  if (!message.to_email || !message.subject || message.text_body === null) {
    throw new Error(`Message ${message.id} has no rendered content to send`);
  }
  return { kind: "send", message: message as Extract<Claim, { kind: "send" }>["message"], approvedHash, state, content, checked };
}

export function sleep(until: Date, position: number, why: "due" | "window" | "cap" | "provider_busy"): SendOutcome {
  return { next: "sleep", until: until.toISOString(), position, why };
}

/** The lead's zone for its window (DESIGN.md §6): its own when it is a zone Intl knows, else the workspace's. */
export function leadZone(s: Pick<SendState, "lead_time_zone" | "workspace_time_zone">): string {
  for (const zone of [s.lead_time_zone, s.workspace_time_zone]) if (zone && isKnownTimeZone(zone)) return zone;
  return "UTC";
}

async function holdUntil(tx: Executor, s: SendState, at: Date, position: number, why: "window" | "cap"): Promise<Claim> {
  await tx.execute(sql`update public.campaign_enrollments set next_send_at = ${at.toISOString()}::timestamptz
    where id = ${s.enrollment_id} and workspace_id = ${s.workspace_id}`);
  return { kind: "outcome", outcome: sleep(at, position, why), enrollmentEnded: false };
}

/**
 * A message the provider may or may not have taken, which could be tried again only after the
 * provider forgets its Idempotency-Key (its retry came late, the lead's window opens late, or
 * its mailbox's cap is full until then): sending it again could send it twice, holding it
 * longer could send it outside its window or above a day's cap (DESIGN.md §7.2, §7.4). It
 * fails, saying so; its place under the cap is kept (it may have been used), and the
 * enrollment ends.
 */
async function failUnknown(tx: Executor, s: SendState, message: StoredMessage, reason = KEY_FORGOTTEN_UNKNOWN): Promise<void> {
  await tx.execute(sql`update public.email_messages set status = 'failed', reason = ${reason}, error_code = 'unknown_outcome'
    where id = ${message.id} and status = 'sending'`);
  await tx.execute(sql`
    update public.campaign_enrollments set status = 'stopped', end_cause = 'provider_rejected', stop_reason = ${reason.slice(0, 500)},
      next_send_at = null, finished_at = now()
    where id = ${s.enrollment_id} and workspace_id = ${s.workspace_id} and status = 'active'`);
}

const KEY_FORGOTTEN_UNKNOWN =
  "The email provider did not answer, and it could be tried again only after the provider forgets this email: " +
  "it was not sent again, so that it cannot arrive twice. It may or may not have been delivered.";
const CAP_FULL_UNKNOWN =
  "The email provider did not answer, and when it could be tried again the mailbox had reached its daily cap: its next place " +
  "comes only after the provider forgets this email, and it was not sent again, so that it cannot arrive twice. " +
  "It may or may not have been delivered.";
const CONTENT_CHANGED_UNKNOWN =
  "The email provider did not answer, and the campaign was edited and approved again since this email was written: " +
  "it was not sent again, so that neither the old text nor a second email can arrive. It may or may not have been delivered.";

/** A claimed message that will not go now: it never reached the provider, so it and its place under the cap are undone. */
async function dropQueued(tx: Executor, s: SendState, message: StoredMessage | undefined): Promise<void> {
  if (message?.status !== "queued") return;
  const dropped = await tx.execute<{ cap_day: string | null; identity_id: string | null }>(sql`
    delete from public.email_messages where id = ${message.id} and status = 'queued' returning cap_day::text, identity_id`);
  await giveBack(tx, s.workspace_id, dropped[0]);
}

/** A message's place under the cap, given back once: only by the statement that moved the message out of queued or sending. */
export async function giveBack(tx: Executor, workspaceId: string, row: { cap_day: string | null; identity_id: string | null } | undefined) {
  if (row?.cap_day && row.identity_id) await releaseSend(tx, { workspaceId, identityId: row.identity_id, day: row.cap_day });
}

/**
 * The lead fails a check: its message for this step records why (skipped; a message already
 * handed to the provider once is failed instead, as it may have left), and the enrollment ends
 * as skipped with the cause and the same words.
 */
async function refuseLead(
  tx: Executor,
  s: SendState,
  r: { stepId: string; position: number; message: StoredMessage | undefined; refusal: { cause: EnrollmentEndCause; reason: string } },
): Promise<void> {
  const { reason, cause } = r.refusal;
  const ws = s.workspace_id;
  if (r.message?.status === "sending") {
    await tx.execute(sql`update public.email_messages set status = 'failed', reason = ${`Not sent again: ${reason} The provider had not confirmed the first attempt.`}
      where id = ${r.message.id} and status = 'sending'`);
  } else if (r.message?.status === "queued") {
    // Its place goes back to the mailbox and day it was reserved on: a resume may have moved the enrollment to another mailbox since.
    const skipped = await tx.execute<{ cap_day: string | null; identity_id: string | null }>(sql`
      update public.email_messages set status = 'skipped', reason = ${reason} where id = ${r.message.id} and status = 'queued'
      returning cap_day::text, identity_id`);
    await giveBack(tx, ws, skipped[0]);
  } else {
    await tx.execute(sql`
      insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id, status, to_email, reason)
      values (${ws}, ${s.campaign_id}, ${s.enrollment_id}, ${r.stepId}, ${r.position}, ${s.lead_id}, ${s.identity_id}, 'skipped', ${s.lead_email}, ${reason})
      on conflict on constraint email_messages_enrollment_step_key do nothing`);
  }
  await tx.execute(sql`
    update public.campaign_enrollments set status = 'skipped', end_cause = ${cause}, stop_reason = ${reason.slice(0, 500)},
      next_send_at = null, finished_at = now()
    where id = ${s.enrollment_id} and workspace_id = ${ws} and status = 'active'`);
}

async function completeEnrollment(tx: Executor, s: SendState, nextStep: number): Promise<void> {
  await tx.execute(sql`
    update public.campaign_enrollments set status = 'completed', next_step = ${nextStep}, next_send_at = null, finished_at = now()
    where id = ${s.enrollment_id} and workspace_id = ${s.workspace_id} and status = 'active'`);
}

/**
 * After step `position` was sent at `sentAt`: the enrollment moves to the next step, due its
 * delay later and then in the lead's window, or completes after the last. Only while the
 * enrollment is still this run's, active and at this step: one ended or handed to a newer run
 * meanwhile is left as it is (the email went all the same).
 */
async function advanceAfterSend(
  tx: Executor,
  s: SendState,
  content: ApprovedContent,
  position: number,
  sentAt: number,
  now: Date,
): Promise<{ outcome: SendOutcome; enrollmentEnded: boolean }> {
  const advance = nextOf(s, content, position, sentAt);
  const moved = await tx.execute<{ item: number }>(advanceStatement([advance], { deferLive: false }));
  return outcomeOf(advance, moved.length > 0, now);
}

/**
 * The same after the provider took message `messageId` (its id there: `providerId`), with the
 * message marked sent in the same statement: one round trip once the provider answered. The
 * sends the provider answers while one such statement is on its way share the next one (a
 * Batcher per pool), each row with its own conditions, so one enrollment's answer never
 * depends on another's. An email the provider reported failed before this write (its
 * `email.failed` processed first: apply-outbound-event.ts, providerFailed) stays failed, and its
 * enrollment, ended with it, does not move on.
 */
export async function markSentAndAdvance(
  db: Executor,
  s: SendState,
  content: ApprovedContent,
  position: number,
  now: Date,
  sent: { messageId: string; providerId: string },
): Promise<{ outcome: SendOutcome; enrollmentEnded: boolean }> {
  const advance = { ...nextOf(s, content, position, now.getTime()), ...sent };
  const moved = await sentBatcher(db).submit(advance);
  return outcomeOf(advance, moved, now);
}

type Advance = {
  enrollmentId: string;
  workspaceId: string;
  campaignId: string;
  generation: number;
  position: number;
  sentAt: number;
  /** When the next step is due; null after the last step (the enrollment completes). */
  nextAt: Date | null;
  messageId?: string;
  providerId?: string;
};

function nextOf(s: SendState, content: ApprovedContent, position: number, sentAt: number): Advance {
  const next = content.steps.find((p) => p.position === position + 1);
  const nextAt = next ? nextWindowStart(stepDueAt(new Date(sentAt), next, leadZone(s)), windowOf(s), leadZone(s)) : null;
  return {
    enrollmentId: s.enrollment_id,
    workspaceId: s.workspace_id,
    campaignId: s.campaign_id,
    generation: s.generation,
    position,
    sentAt,
    nextAt,
  };
}

function outcomeOf(a: Advance, moved: boolean, now: Date): { outcome: SendOutcome; enrollmentEnded: boolean } {
  if (!moved) return { outcome: { next: "done", outcome: "ended" }, enrollmentEnded: false };
  if (!a.nextAt) return { outcome: { next: "done", outcome: "completed" }, enrollmentEnded: true };
  const outcome =
    a.nextAt.getTime() > now.getTime() + DUE_SLACK_MS
      ? sleep(a.nextAt, a.position + 1, "due")
      : { next: "send" as const, position: a.position + 1 };
  return { outcome, enrollmentEnded: false };
}

const sentBatchers = new WeakMap<Executor, Batcher<Advance, boolean>>();

function sentBatcher(db: Executor): Batcher<Advance, boolean> {
  let batcher = sentBatchers.get(db);
  if (!batcher) {
    batcher = new Batcher(async (advances) => {
      const moved = new Set((await db.execute<{ item: number }>(advanceStatement(advances, { deferLive: true }))).map((r) => r.item));
      noteCampaigns(db, advances);
      return advances.map((_, i) => moved.has(i + 1));
    });
    sentBatchers.set(db, batcher);
  }
  return batcher;
}

/**
 * What the live triggers would have said of statements that carried DEFER_LIVE, once they
 * committed: their campaigns changed (the campaign page's funnel and progress), coalesced with
 * the other statements of the moment. A campaign named for an email that in the end did not
 * change only costs its open pages one refresh.
 */
function noteCampaigns(db: Executor, items: readonly { workspaceId: string; campaignId: string }[]): void {
  noteLive(
    liveNotices(db),
    "campaign",
    items.map((i) => ({ w: i.workspaceId, id: i.campaignId })),
  );
}

/**
 * One statement for several advances, each a row of `b` (arrays unnested: the planner sees how
 * many, and finds each row by its key): the messages given marked sent (only from `sending`),
 * then each enrollment moved on while it is still this run's (its generation), active and at
 * this step. Returns the 1-based places of the enrollments that moved. With `deferLive`, its
 * live triggers stay silent and the caller notes the campaigns once it committed (noteCampaigns).
 * Its rows are locked as the claim locks them, the enrollment before the message (PostgreSQL runs
 * the main update before a WITH update nothing reads): providerFailed takes them in that order too.
 */
function advanceStatement(advances: Advance[], { deferLive }: { deferLive: boolean }): SQL {
  const column = (pick: (a: Advance) => string | number | null) => pgArray(advances.map(pick));
  const enrollmentIds = column((a) => a.enrollmentId);
  return sql`
    with b as (
      select *${deferLive ? sql`, ${DEFER_LIVE} as live_deferred` : sql``} from unnest(${enrollmentIds}::text::uuid[], ${column((a) => a.workspaceId)}::text::uuid[],
        ${column((a) => a.generation)}::text::int[], ${column((a) => a.position)}::text::int[],
        ${column((a) => new Date(a.sentAt).toISOString())}::text::timestamptz[], ${column((a) => a.nextAt?.toISOString() ?? null)}::text::timestamptz[],
        ${column((a) => a.messageId ?? null)}::text::uuid[], ${column((a) => a.providerId ?? null)}::text::text[])
        with ordinality as b(enrollment_id, workspace_id, generation, position, sent_at, next_send_at, message_id, provider_id, item)
    ), sent as (
      update public.email_messages m set status = 'sent', provider_id = b.provider_id, sent_at = b.sent_at, reason = null, error_code = null
      from b where m.id = b.message_id and m.status = 'sending'
      returning m.id
    )
    update public.campaign_enrollments e set next_step = b.position + 1, last_sent_at = b.sent_at, next_send_at = b.next_send_at,
      status = case when b.next_send_at is null then 'completed'::public.campaign_enrollment_status else e.status end,
      finished_at = case when b.next_send_at is null then now() else e.finished_at end
    from b
    -- By its key; the workspace and the status checked on the row (IS TRUE: see loadSendState on the
    -- planner; stale statistics made the partial index on active enrollments look cheaper), and the
    -- keys again as a list on e itself (loadSendState says why).
    where e.id = b.enrollment_id and e.id = any(${enrollmentIds}::text::uuid[])
      and (e.workspace_id = b.workspace_id) is true and (e.status = 'active') is true
      and e.generation = b.generation and e.next_step = b.position
    returning b.item::int as item`;
}

function windowOf(s: SendState): SendingWindow {
  return { days: s.send_days ?? [1, 2, 3, 4, 5, 6, 7], fromMinute: s.send_from_minute ?? 0, untilMinute: s.send_until_minute ?? 1440 };
}
