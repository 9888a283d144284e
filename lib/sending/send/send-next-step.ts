import "server-only";
import { sql } from "drizzle-orm";
import { RetryAfterError } from "inngest";
import type { Database, Executor } from "@/db";
import { completeCampaignIfDone } from "@/lib/campaigns/lifecycle/complete-campaign";
import { canDeliver } from "@/lib/email/delivery";
import { deliverEmail, type DeliveryResult } from "@/lib/email/send-email";
import { suppressionMatch } from "@/lib/suppressions/suppression-match";
import { claimStep, giveBack, markSentAndAdvance, sleep, type Claim } from "./claim-step";
import { leadStatusSendable } from "./lead-refusal";
import type { SendInput, SendOutcome } from "./types";

export type SendOptions = {
  now?: () => Date;
  /** The step's last attempt: a provider error that would be retried fails the message instead (or waits, for a 429). */
  finalAttempt?: boolean;
  /** Tests: how long the provider call may take before it counts as unanswered (deliverEmail's default otherwise). */
  providerTimeoutMs?: number;
  /**
   * Tests: runs once the step's checks passed, before the last check and the provider call
   * (for a new email, before the one statement that claims it and makes the last check).
   */
  beforeProviderCall?: (messageId: string) => Promise<void>;
};

type ReadyClaim = Extract<Claim, { kind: "send" }>;

/**
 * The whole of one email, the body of the sequence's ONE `step.run` per email (the cost rule
 * of issue 13): every check, the claim of the message with its rendered content and its place
 * under the cap, a last check that moves it to `sending` only if nothing changed meanwhile,
 * the provider call under the message's Idempotency-Key, then sent or failed and the
 * enrollment advanced or ended. Returns what the run does next. A provider error worth
 * retrying (5xx, timeout, 429) is thrown, so the step retries with back-off under the same
 * key and, the message being stored, with the identical body.
 */
export async function sendNextStep(db: Database, input: SendInput, options: SendOptions = {}): Promise<SendOutcome> {
  if (!canDeliver("product")) return { next: "done", outcome: "email_not_configured" };
  const now = () => options.now?.() ?? new Date();
  // A lost race at the last check means something changed: the next round's checks say what.
  for (let round = 0; round < 3; round++) {
    // The first round claims a new email without a transaction (claimStep's `unlocked`: two
    // statements where the locked claim and the last check took six round trips and two
    // commits); any other case, and every later round, is decided under the lock.
    let hooked = false;
    const beforeClaim = async (messageId: string) => {
      hooked = true;
      await options.beforeProviderCall?.(messageId);
    };
    let claim = await claimStep(db, input, now(), { unlocked: round === 0, beforeClaim });
    if (claim.kind === "locked") claim = await db.transaction((tx) => claimStep(tx, input, now()));
    if (claim.kind === "locked") throw new Error("The locked claim never answers `locked`");
    if (claim.kind === "outcome") {
      if (claim.enrollmentEnded) await completeCampaignIfDone(db, input.campaignId);
      return claim.outcome;
    }
    if (!claim.checked) {
      if (!hooked) await options.beforeProviderCall?.(claim.message.id);
      if (!(await passLastCheck(db, input, claim))) continue;
    }
    const result = await deliverEmail(
      {
        kind: "product",
        to: claim.message.to_email,
        ...(claim.message.from_address ? { from: claim.message.from_address } : {}),
        ...(claim.message.reply_to ? { replyTo: claim.message.reply_to } : {}),
        subject: claim.message.subject,
        ...(claim.message.html !== null ? { html: claim.message.html } : {}),
        text: claim.message.text_body,
        headers: claim.message.headers,
        tags: [
          { name: "workspace_id", value: input.workspaceId },
          { name: "campaign_id", value: input.campaignId },
          { name: "step_id", value: claim.message.step_id ?? "none" },
          { name: "message_id", value: claim.message.id },
        ],
        idempotencyKey: claim.message.id,
      },
      options.providerTimeoutMs ? { timeoutMs: options.providerTimeoutMs } : {},
    );
    return settle(db, input, claim, result, { now: now(), finalAttempt: options.finalAttempt ?? false });
  }
  return { next: "done", outcome: "held" };
}

/**
 * queued/sending → sending, in one statement, only while the enrollment is still this run's
 * and active, the campaign running with the approved content, and the lead still sendable
 * and unsuppressed: an unsubscribe, a reply, a pause or an edit that committed after the
 * claim stops the email here. (One that commits after this statement meets an email already
 * on its way.)
 */
async function passLastCheck(db: Executor, input: SendInput, claim: ReadyClaim): Promise<boolean> {
  const rows = await db.execute<{ id: string }>(sql`
    update public.email_messages m set status = 'sending', attempts = least(m.attempts + 1, 32767),
      -- Taken again while still sending: the attempt before ended without an answer we kept.
      outcome_unknown = m.outcome_unknown or m.status = 'sending'
    from public.campaign_enrollments e, public.campaigns c, public.leads l
    where m.id = ${claim.message.id} and (m.workspace_id = ${input.workspaceId}) is true and m.status in ('queued', 'sending')
      -- The message's rows by their primary keys alone: its composite foreign keys keep them in
      -- its workspace (loadSendState says why no workspace_id condition here).
      and e.id = m.enrollment_id and e.status = 'active' and e.generation = ${input.generation}
      and c.id = m.campaign_id and c.status = 'running'
      and c.approved_content_hash = ${claim.approvedHash} and m.content_hash = c.approved_content_hash
      and l.id = m.lead_id and l.deleted_at is null
      and ${leadStatusSendable("l", "c")}
      and lower(btrim(l.email)) = lower(btrim(m.to_email))
      and not ${suppressionMatch(input.workspaceId, sql`m.to_email`)}
    returning m.id`);
  return rows.length > 0;
}

function retryable(result: Extract<DeliveryResult, { ok: false }>): boolean {
  return result.status === null || result.status >= 500 || result.status === 429 || result.name === "concurrent_idempotent_requests";
}

/** Words for the campaign page: the provider's own message and its code. */
function providerReason(result: Extract<DeliveryResult, { ok: false }>): string {
  const status = result.status === null ? "no answer" : `HTTP ${result.status}`;
  return `The email provider refused it: ${result.message} (${result.name}, ${status})`.slice(0, 1000);
}

async function settle(
  db: Database,
  input: SendInput,
  claim: ReadyClaim,
  result: DeliveryResult,
  { now, finalAttempt }: { now: Date; finalAttempt: boolean },
): Promise<SendOutcome> {
  const message = claim.message;
  if (result.ok) {
    const { outcome, enrollmentEnded } = await markSentAndAdvance(db, claim.state, claim.content, message.step_position, now, {
      messageId: message.id,
      providerId: result.id,
    });
    if (enrollmentEnded) await completeCampaignIfDone(db, input.campaignId);
    return outcome;
  }

  if (retryable(result)) {
    const waitSeconds = result.retryAfterSeconds ?? (result.status === 429 || result.name === "concurrent_idempotent_requests" ? 1 : null);
    // The provider answered with an error: this attempt did not leave. Back to queued, so a
    // retry that finds the window closed holds it for the next one instead of sending late
    // (claimStep), unless an earlier attempt may have left. Without an answer, or with its key
    // still in flight at the provider (the first request may yet succeed), it stays `sending`:
    // only its own key may send it again.
    if (result.status === null || result.name === "concurrent_idempotent_requests") await markOutcomeUnknown(db, message.id);
    else await requeue(db, message.id, result.name);
    if (!finalAttempt) {
      const error = `The email provider did not take it (${result.name}, ${result.status ?? "no answer"}): ${result.message}`;
      // Retried by the step under the same Idempotency-Key; Resend's retry-after is honoured.
      if (waitSeconds !== null) throw new RetryAfterError(error, waitSeconds * 1000);
      throw new Error(error);
    }
    // Rate limited to the end: never lost, the message waits (queued, its content kept) and the run tries again later.
    if (result.status === 429 || result.name === "concurrent_idempotent_requests") {
      return sleep(new Date(now.getTime() + Math.max(1, waitSeconds ?? 1) * 1000), message.step_position, "provider_busy");
    }
  }

  // Refused (4xx), or still failing after the last retry: the message fails with the provider's words.
  const reason = providerReason(result);
  const refused = !retryable(result);
  await db.transaction(async (tx) => {
    // A refused email never left: its place under the cap is given back (a timeout's may have left: kept).
    const failed = await tx.execute<{ cap_day: string | null; identity_id: string | null }>(sql`
      update public.email_messages m set status = 'failed', reason = ${reason}, error_code = ${result.name.slice(0, 100)},
        cap_day = case when ${refused} then null else m.cap_day end
      from (select id, cap_day, identity_id from public.email_messages where id = ${message.id} and status in ('queued', 'sending') for update) old
      where m.id = old.id returning old.cap_day::text, old.identity_id`);
    if (refused) await giveBack(tx, input.workspaceId, failed[0]);
    await tx.execute(sql`
      update public.campaign_enrollments set status = 'stopped', end_cause = 'provider_rejected', stop_reason = ${reason.slice(0, 500)},
        next_send_at = null, finished_at = now()
      where id = ${input.enrollmentId} and workspace_id = ${input.workspaceId} and status = 'active' and generation = ${input.generation}`);
  });
  await completeCampaignIfDone(db, input.campaignId);
  return { next: "done", outcome: "failed" };
}

/** Back to queued after an answered refusal, only while no attempt of it may have left (outcome_unknown). */
async function requeue(db: Executor, messageId: string, errorCode: string): Promise<void> {
  await db.execute(sql`update public.email_messages set status = 'queued', error_code = ${errorCode.slice(0, 100)}
    where id = ${messageId} and status = 'sending' and not outcome_unknown`);
}

async function markOutcomeUnknown(db: Executor, messageId: string): Promise<void> {
  await db.execute(sql`update public.email_messages set outcome_unknown = true where id = ${messageId} and status = 'sending'`);
}
