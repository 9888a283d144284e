import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { campaigns, instantlyCampaignPushes, type InstantlyPushStatus } from "@/db/schema";
import { campaignContent, type CampaignContent } from "@/lib/campaigns/content-hash";
import { readAudiencePage } from "@/lib/campaigns/audience/resolve-audience";
import { completeCampaignIfDone } from "@/lib/campaigns/lifecycle/complete-campaign";
import { loadTemplateLeads } from "@/lib/campaigns/templates/load-template-leads";
import { renderCampaignEmail } from "@/lib/campaigns/templates/render-campaign-email";
import type { StoredAudience } from "@/lib/campaigns/types";
import { signUnsubscribeToken, unsubscribeUrl } from "@/lib/campaigns/unsubscribe-token";
import type { InstantlyClient } from "../client";
import {
  activateCampaign,
  addLeadsToCampaign,
  createCampaign,
  INSTANTLY_ADD_LEADS_LIMIT,
  instantlyPages,
  listAccountsPage,
  pauseCampaign,
  searchCampaigns,
  type CreateInstantlyCampaign,
  type InstantlyNewLead,
  type InstantlySchedule,
  type InstantlyStep,
} from "../resources";
import { instantlyTimeZoneFor } from "../time-zones";
import { normaliseEmail } from "../raw-store";
import { instantlySignatureOf } from "./delivery";
import { enrollPushedBatch, instantlyStandingOf, markPushEnrolled, type PushedBatch } from "./enroll-pushed-leads";

/**
 * Launching a campaign through Instantly (DESIGN.md §7.1 with delivery "instantly"): the push
 * job (inngest/functions/integrations/push-to-instantly.ts) runs these one step each. Every
 * request to Instantly is bracketed by a write to instantly_campaign_pushes, so a push that
 * fails half-way resumes where it stopped: the Instantly campaign id is stored the moment it is
 * created (and a creation whose answer was lost is found again by its name), and each batch of
 * leads moves the push's cursor only once Instantly accepted it (a batch sent again first looks
 * its leads up in the campaign and adds only those not there: enroll-pushed-leads.ts). What is pushed is the approved content, exactly: each
 * step that sends content reads it and its hash in one statement and refuses any other hash.
 * Each batch enrolls its leads in our campaign_enrollments with Instantly's id for each, in
 * the transaction that moves the cursor (enroll-pushed-leads.ts); the sync follows their
 * state in Instantly and completes the campaign (reflect-on-enrollments.ts).
 */
export type PushTarget = { workspaceId: string; campaignId: string };

/** Refused for good: retrying cannot help (the content changed, a time zone Instantly lacks…). */
export class PushRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushRefused";
  }
}

export const PUSH_CONTENT_CHANGED =
  "The campaign's content is not the content that was approved, so nothing more was sent to Instantly. Approve the campaign again, then launch it.";

type PushRow = typeof instantlyCampaignPushes.$inferSelect;

export async function loadPush(db: Executor, { workspaceId, campaignId }: PushTarget): Promise<PushRow | null> {
  const [row] = await db
    .select()
    .from(instantlyCampaignPushes)
    .where(and(eq(instantlyCampaignPushes.workspaceId, workspaceId), eq(instantlyCampaignPushes.campaignId, campaignId)));
  return row ?? null;
}

async function setPush(db: Executor, target: PushTarget, values: Partial<typeof instantlyCampaignPushes.$inferInsert>) {
  await db
    .update(instantlyCampaignPushes)
    .set(values)
    .where(and(eq(instantlyCampaignPushes.workspaceId, target.workspaceId), eq(instantlyCampaignPushes.campaignId, target.campaignId)));
}

/** The push's approved content, or a refusal when the campaign's content is not it any more. */
async function approvedContent(db: Executor, target: PushTarget, push: PushRow): Promise<CampaignContent> {
  const current = await campaignContent(db, target.campaignId);
  if (!current || current.hash !== push.contentHash) throw new PushRefused(PUSH_CONTENT_CHANGED);
  return current.content;
}

/** What Instantly calls our campaign: its name and a tag of its id, by which a lost creation is found again. */
export function instantlyCampaignName(name: string, campaignId: string): string {
  return `${name} [LIP ${campaignId.slice(0, 8)}]`;
}

const hhmm = (minute: number) => {
  const m = Math.min(minute, 1439);
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

/** The copy of one variant, as the custom variables each lead carries: `{{lip_s1_a_subject}}`. */
export const copyVariable = (position: number, label: string, part: "subject" | "body") =>
  `lip_s${position}_${label.toLowerCase().replace(/[^a-z0-9]/g, "")}_${part}`;

/**
 * Our steps as Instantly's single sequence. Instantly shows a step's `delay` as the wait before
 * the next step, so step N carries the delay of our step N+1 (the last, none). The copy is
 * per-lead variables holding the lead's email as our renderer makes it: the approved template
 * with its fallbacks and conditions, the signature, the postal address and our unsubscribe link,
 * none of which Instantly's own variables could express.
 */
export function instantlySteps(content: CampaignContent): InstantlyStep[] {
  const steps = [...content.steps].sort((a, b) => a.position - b.position);
  return steps.map((step, index) => {
    const next = steps[index + 1];
    const inHours = next ? next.delayHours > 0 : false;
    return {
      type: "email" as const,
      delay: next ? (inHours ? next.delayDays * 24 + next.delayHours : next.delayDays) : 0,
      delay_unit: inHours ? ("hours" as const) : ("days" as const),
      variants: step.variants.map((v) => ({
        subject: `{{${copyVariable(step.position, v.label, "subject")}}}`,
        body: `{{${copyVariable(step.position, v.label, "body")}}}`,
      })),
    };
  });
}

type IdentityWindow = { email: string; days: number[]; from: number; until: number; dailyCap: number };

/**
 * Step one of a push: the Instantly campaign's body — our steps, the sending windows of the
 * campaign's identities in the workspace's time zone mapped to Instantly's list (refused, naming
 * the zone, when Instantly has no equivalent), and the identities as its sending accounts.
 */
export async function instantlyCampaignBody(
  db: Executor,
  target: PushTarget,
  push: PushRow,
  now: Date = new Date(),
): Promise<{ body: CreateInstantlyCampaign; timeZone: string }> {
  const content = await approvedContent(db, target, push);
  const [campaign] = await db.execute<{ name: string; time_zone: string }>(sql`
    select c.name, w.time_zone from public.campaigns c join public.workspaces w on w.id = c.workspace_id
    where c.id = ${target.campaignId} and c.workspace_id = ${target.workspaceId}`);
  if (!campaign) throw new PushRefused("The campaign was deleted.");
  const zone = instantlyTimeZoneFor(campaign.time_zone, now);
  if (!zone.ok) throw new PushRefused(zone.message);
  const identities = (
    await db.execute<{ email: string; days: number[]; from_minute: number; until_minute: number; daily_cap: number }>(sql`
      select i.from_email as email, i.send_days as days, i.send_from_minute as from_minute, i.send_until_minute as until_minute,
        i.daily_cap
      from public.campaign_identities ci join public.sending_identities i on i.id = ci.identity_id and i.workspace_id = ci.workspace_id
      where ci.campaign_id = ${target.campaignId} and ci.workspace_id = ${target.workspaceId} and i.archived_at is null
      order by i.from_email`)
  ).map((i): IdentityWindow => ({
    email: i.email,
    days: i.days.map(Number),
    from: Number(i.from_minute),
    until: Number(i.until_minute),
    dailyCap: Number(i.daily_cap),
  }));
  if (identities.length === 0)
    throw new PushRefused("Every sending identity of this campaign is archived: add one, then approve it again.");
  if (content.steps.length === 0) throw new PushRefused("This campaign has no step to send.");

  // One schedule per distinct window (days and hours) of the identities.
  const windows = new Map<string, InstantlySchedule>();
  for (const identity of identities) {
    const key = `${[...identity.days].sort().join(",")}|${identity.from}|${identity.until}`;
    if (windows.has(key)) continue;
    windows.set(key, {
      name: `Window ${windows.size + 1}`,
      timing: { from: hhmm(identity.from), to: hhmm(identity.until) },
      // Ours: 1 Monday … 7 Sunday; Instantly's: "0" Sunday … "6" Saturday.
      days: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [String(d), identity.days.includes(d === 0 ? 7 : d)])),
      timezone: zone.zone,
    });
  }
  return {
    timeZone: zone.zone,
    body: {
      name: instantlyCampaignName(campaign.name, target.campaignId),
      campaign_schedule: { schedules: [...windows.values()] },
      sequences: [{ steps: instantlySteps(content) }],
      email_list: identities.map((i) => i.email),
      stop_on_reply: content.stopOnReply,
      text_only: content.plainTextOnly,
      insert_unsubscribe_header: true,
      daily_limit: identities.reduce((sum, i) => sum + i.dailyCap, 0),
    },
  };
}

/**
 * The Instantly campaign of the push, as a draft: the stored id when it was created already;
 * else one found by its name (a creation whose answer was lost); else created now, its id
 * stored at once — refused when another campaign of the workspace holds it already.
 */
export async function ensureInstantlyCampaign(db: Database, client: InstantlyClient, target: PushTarget): Promise<string> {
  const push = await loadPush(db, target);
  if (!push) throw new PushRefused("This campaign was not launched through Instantly.");
  if (push.instantlyCampaignId) return push.instantlyCampaignId;
  const { body, timeZone } = await instantlyCampaignBody(db, target, push);
  const found = (await searchCampaigns(client, body.name)).find((c) => c.name === body.name);
  if (!found) await checkSendingAccounts(client, body.email_list);
  const id = found?.id ?? (await createCampaign(client, body)).id;
  try {
    await setPush(db, target, { instantlyCampaignId: id, instantlyTimeZone: timeZone, lastError: null });
  } catch (error) {
    // The workspace's unique (workspace_id, instantly_campaign_id): another campaign of ours holds it.
    if (sqlStateOf(error) !== "23505") throw error;
    throw new PushRefused(instantlyCampaignTaken(id, await campaignLinkedTo(db, target, id)));
  }
  return id;
}

/**
 * Instantly answered with a campaign another of ours was pushed to. Never seen from the real
 * vendor (each push creates its own, tagged with our id), but pushing on would send this
 * campaign's leads and copy into the other's, and count its figures twice in analytics: refused
 * for good, nothing sent to it. A retry or replay of the same campaign never gets here: its
 * stored id is returned before any request.
 */
export const instantlyCampaignTaken = (instantlyId: string, otherName: string | null) =>
  `Instantly answered with its campaign ${instantlyId}, which is already the Instantly campaign of ${otherName ? `“${otherName}”` : "another campaign"} in this workspace, so nothing was sent to it: one Instantly campaign cannot carry two of ours (its figures would be counted twice). Check the campaign in Instantly, then resume this campaign to try again.`;

async function campaignLinkedTo(db: Executor, target: PushTarget, instantlyId: string): Promise<string | null> {
  const [other] = await db.execute<{ name: string }>(sql`
    select c.name from public.instantly_campaign_pushes p
    join public.campaigns c on c.id = p.campaign_id and c.workspace_id = p.workspace_id
    where p.workspace_id = ${target.workspaceId} and p.instantly_campaign_id = ${instantlyId} and p.campaign_id <> ${target.campaignId}`);
  return other?.name ?? null;
}

/**
 * Instantly sends only from the sending accounts connected to it: an identity of ours that is
 * not one would be silently left out, so the push is refused first, naming them.
 */
async function checkSendingAccounts(client: InstantlyClient, emails: string[]): Promise<void> {
  const known = new Set<string>();
  for await (const page of instantlyPages((after) => listAccountsPage(client, after), { shortPageEnds: true })) {
    for (const account of page.items) known.add(account.email.trim().toLowerCase());
  }
  const missing = emails.filter((email) => !known.has(email.trim().toLowerCase()));
  if (missing.length > 0) {
    throw new PushRefused(
      `Instantly sends only from the sending accounts connected to it, and ${missing.join(", ")} ${missing.length === 1 ? "is not one" : "are not"}: add ${missing.length === 1 ? "it" : "them"} in Instantly (Email accounts), or take ${missing.length === 1 ? "it" : "them"} off the campaign, then resume the campaign.`,
    );
  }
}

export type LeadBatchOutcome = { done: boolean; sent: number; uploaded: number; skipped: number; blocked: number };

/**
 * Of the next 1,000 leads of the audience (after the push's cursor, in id order), those the
 * campaign may email now, each with its copy rendered from the approved content and its
 * personalisation variables (`icebreaker` among them when the lead has one), added to the
 * Instantly campaign; then the cursor moves past them. Leads whose copy cannot be rendered
 * (an empty variable without fallback) are left out and counted.
 */
export async function pushLeadBatch(
  db: Database,
  client: InstantlyClient,
  target: PushTarget,
  { size = INSTANTLY_ADD_LEADS_LIMIT }: { size?: number } = {},
): Promise<LeadBatchOutcome> {
  const push = await loadPush(db, target);
  if (!push?.instantlyCampaignId) throw new PushRefused("The Instantly campaign was not created yet.");
  const none = { sent: 0, uploaded: 0, skipped: 0, blocked: 0 };
  if (push.leadsDone) return { done: true, ...none };
  const content = await approvedContent(db, target, push);
  const [campaign] = await db.execute<{ audience: StoredAudience | null; author_id: string | null }>(sql`
    select audience, coalesce(owner_id, approved_by) as author_id from public.campaigns
    where id = ${target.campaignId} and workspace_id = ${target.workspaceId}`);
  if (!campaign?.audience) {
    await finishLeads(db, target);
    return { done: true, ...none };
  }
  const limit = Math.min(size, INSTANTLY_ADD_LEADS_LIMIT);
  const scope = {
    workspaceId: target.workspaceId,
    userId: campaign.author_id ?? "00000000-0000-0000-0000-000000000000",
    audience: campaign.audience,
    campaignId: target.campaignId,
  };
  // The next page of the audience, as a launch's batch reads it (enrollAudienceBatch): what a
  // batch reads does not grow with the push.
  const page = await readAudiencePage(db, scope, { after: push.leadsAfter, size: limit });
  if (page.last === null) {
    await finishLeads(db, target);
    return { done: true, ...none };
  }
  const candidates = page.eligible;

  // One signature for every lead: Instantly picks each lead's sender itself (delivery.ts, InstantlySignature).
  const signer = await instantlySignatureOf(db, target.workspaceId, target.campaignId);
  const identity = content.identities.find((i) => i.fromEmail === signer?.fromEmail) ?? content.identities[0]!;
  const sent: PushedBatch["sent"] = [];
  const blockedLeads: PushedBatch["blocked"] = [];
  const rows = await loadTemplateLeads(db, { workspaceId: target.workspaceId, leadIds: candidates.map((c) => c.id) });
  const leads: InstantlyNewLead[] = [];
  for (const lead of rows) {
    if (!lead.email) continue;
    const link = unsubscribeUrl(signUnsubscribeToken({ workspaceId: target.workspaceId, leadId: lead.id, campaignId: target.campaignId }));
    const copy: Record<string, string> = {};
    let blocked = false;
    for (const step of content.steps) {
      for (const variant of step.variants) {
        const rendered = renderCampaignEmail({
          subject: variant.subject,
          body: variant.body,
          values: lead.values,
          identity,
          unsubscribeUrl: link,
          plainTextOnly: content.plainTextOnly,
        });
        if (!rendered.ok) {
          blocked = true;
          blockedLeads.push({ leadId: lead.id, reason: rendered.problems[0]?.message ?? "The email could not be rendered." });
          break;
        }
        copy[copyVariable(step.position, variant.label, "subject")] = rendered.email.subject;
        copy[copyVariable(step.position, variant.label, "body")] = rendered.email.html ?? rendered.email.text;
      }
      if (blocked) break;
    }
    if (blocked) continue;
    const v = lead.values;
    sent.push({ leadId: lead.id, email: lead.email });
    leads.push({
      email: lead.email,
      ...(v.first_name ? { first_name: v.first_name } : {}),
      ...(v.last_name ? { last_name: v.last_name } : {}),
      ...(v.company ? { company_name: v.company } : {}),
      ...(v.title ? { job_title: v.title } : {}),
      ...(v.icebreaker ? { personalization: v.icebreaker } : {}),
      custom_variables: {
        ...v.custom,
        ...(v.icebreaker ? { icebreaker: v.icebreaker } : {}),
        ...copy,
      },
    });
  }
  const blocked = candidates.length - leads.length;
  // Instantly's id for each lead: those a first attempt of this batch (whose answer was lost)
  // added already, found in the campaign by address, then those it creates now. Leads another
  // Instantly campaign is sending to are not sent.
  const { here, busyElsewhere } = await instantlyStandingOf(
    db,
    client,
    { workspaceId: target.workspaceId, instantlyCampaignId: push.instantlyCampaignId },
    sent.map((l) => normaliseEmail(l.email)).filter((e): e is string => !!e),
  );
  const addressOf = (email: string) => normaliseEmail(email) ?? "";
  const toAdd = leads.filter((l) => !here.has(addressOf(l.email)) && !busyElsewhere.has(addressOf(l.email)));
  const busy = sent.filter((l) => busyElsewhere.has(addressOf(l.email))).map((l) => ({ leadId: l.leadId }));
  const answer = toAdd.length > 0 ? await addLeadsToCampaign(client, push.instantlyCampaignId, toAdd) : null;
  const instantlyIds = new Map(here);
  for (const created of answer?.created_leads ?? []) {
    const email = normaliseEmail(created.email);
    if (email && created.id) instantlyIds.set(email, created.id);
  }
  const uploaded = (answer?.leads_uploaded ?? 0) + here.size;
  const skipped = leads.length - uploaded;

  const after = page.last;
  const done = !page.full;
  await db.transaction(async (tx) => {
    const moved = await tx.execute(sql`
      update public.instantly_campaign_pushes set leads_after = ${after}::uuid, batches_done = batches_done + 1,
        leads_sent = leads_sent + ${leads.length - busy.length}, leads_uploaded = leads_uploaded + ${uploaded},
        leads_skipped = leads_skipped + ${skipped}, leads_blocked = leads_blocked + ${blocked},
        leads_done = ${done}, last_error = null
      where workspace_id = ${target.workspaceId} and campaign_id = ${target.campaignId}
        and leads_after is not distinct from ${push.leadsAfter}::uuid
      returning id`);
    if (moved.length === 0) return;
    await enrollPushedBatch(tx, target, {
      sent: sent.filter((l) => !busyElsewhere.has(addressOf(l.email))),
      busy,
      blocked: blockedLeads,
      instantlyIds,
    });
    if (done) await markPushEnrolled(tx, target);
  });
  return { done, sent: leads.length - busy.length, uploaded, skipped, blocked };
}

/** No lead left to add: the push's leads are done and the campaign's audience enrolled. */
async function finishLeads(db: Database, target: PushTarget): Promise<void> {
  await db.transaction(async (tx) => {
    await setPush(tx, target, { leadsDone: true });
    await markPushEnrolled(tx, target);
  });
}

/**
 * The last step: the Instantly campaign starts sending — unless ours was paused or stopped
 * meanwhile, which the push mirrors instead (Instantly keeps a draft until then).
 */
export async function activatePush(db: Database, client: InstantlyClient, target: PushTarget): Promise<InstantlyPushStatus> {
  const push = await loadPush(db, target);
  if (!push?.instantlyCampaignId) throw new PushRefused("The Instantly campaign was not created yet.");
  await approvedContent(db, target, push);
  const [campaign] = await db
    .select({ status: campaigns.status })
    .from(campaigns)
    .where(and(eq(campaigns.id, target.campaignId), eq(campaigns.workspaceId, target.workspaceId)));
  if (campaign?.status !== "running") {
    const status: InstantlyPushStatus = campaign?.status === "paused" ? "paused" : "stopped";
    await setPush(db, target, { status });
    return status;
  }
  await activateCampaign(client, push.instantlyCampaignId);
  await setPush(db, target, { status: "active", activatedAt: new Date(), lastError: null });
  // Every lead skipped (by Instantly, or for want of a renderable email): nothing will ever be
  // sent, and the campaign completes now, as ours does when its last enrollment ends.
  await completeCampaignIfDone(db, target.campaignId);
  return "active";
}

/**
 * Pause, resume and stop in our app, mirrored on the Instantly campaign: pause and stop pause it
 * (Instantly has no stop; ours cannot be resumed once stopped), resume activates it again. A push
 * that has not activated yet only records the state: its activation step reads our status.
 *
 * What is mirrored is our campaign's status when the step runs, not the action that asked for the
 * mirror (pause, resume or stop): a resume retried after a later pause (a mirror's retries wait outside its concurrency slot), or an
 * old run replayed from the Jobs page, must not set Instantly sending for a campaign we show paused.
 */
export async function mirrorLifecycle(
  db: Database,
  client: InstantlyClient,
  target: PushTarget,
): Promise<{ mirrored: boolean; status: InstantlyPushStatus | null }> {
  const push = await loadPush(db, target);
  if (!push) return { mirrored: false, status: null };
  const [campaign] = await db
    .select({ status: campaigns.status })
    .from(campaigns)
    .where(and(eq(campaigns.id, target.campaignId), eq(campaigns.workspaceId, target.workspaceId)));
  // Stopped and completed are for good; anything else that is not running holds Instantly's sends.
  const status: InstantlyPushStatus =
    campaign?.status === "running" ? "active" : campaign?.status === "stopped" || campaign?.status === "completed" ? "stopped" : "paused";
  if (!push.activatedAt || !push.instantlyCampaignId) {
    if (status !== "active") await setPush(db, target, { status });
    return { mirrored: false, status: status === "active" ? push.status : status };
  }
  if (status === "active") {
    if (push.status === "stopped") return { mirrored: false, status: push.status };
    await activateCampaign(client, push.instantlyCampaignId);
  } else {
    await pauseCampaign(client, push.instantlyCampaignId);
  }
  await setPush(db, target, { status, lastError: null });
  return { mirrored: true, status };
}

/**
 * The push's row, written by its first step: the account and the approved hash it pushes. A
 * push asked again (a resume after a failure) finds it and continues from its progress.
 */
export async function startPush(
  db: Executor,
  input: PushTarget & { accountId: string; contentHash: string; approvalId: string | null },
): Promise<void> {
  await db
    .insert(instantlyCampaignPushes)
    .values({
      workspaceId: input.workspaceId,
      campaignId: input.campaignId,
      accountId: input.accountId,
      contentHash: input.contentHash,
      approvalId: input.approvalId,
    })
    .onConflictDoNothing({ target: instantlyCampaignPushes.campaignId });
  // Asked again after a failure: pushing again, with the account asked for now.
  await db.execute(sql`update public.instantly_campaign_pushes set status = 'pushing', account_id = ${input.accountId}::uuid
    where campaign_id = ${input.campaignId} and workspace_id = ${input.workspaceId} and status = 'failed'`);
}

/** A failed attempt that will be retried: its reason shown, the push still under way. */
export async function notePushError(db: Executor, target: PushTarget, message: string): Promise<void> {
  await setPush(db, target, { lastError: message.slice(0, 1000) });
}

/** A push that failed for good: its reason on the push row, for the campaign page. */
export async function recordPushFailure(db: Executor, target: PushTarget, message: string): Promise<void> {
  await setPush(db, target, { status: "failed", lastError: message.slice(0, 1000) });
}
