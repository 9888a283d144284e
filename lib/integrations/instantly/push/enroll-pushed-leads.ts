import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import type { InstantlyClient } from "../client";
import { normaliseEmail } from "../raw-store";
import { instantlyPages, INSTANTLY_PAGE_LIMIT, listLeadsPage } from "../resources";

/**
 * A campaign launched through Instantly has its enrollments here like any other (the campaign
 * page, the funnel, "active in another campaign", completion): each batch a push adds to
 * Instantly enrolls its leads in the transaction that moves the push's cursor, with the id
 * Instantly gave each lead. Instantly runs their sequences, so these enrollments have no
 * mailbox of ours (Instantly picks the sending account) and no run: the sync
 * (reflect-on-enrollments.ts) moves them as Instantly reports each lead.
 */

/** Why a lead sent to Instantly is not in its campaign (POST /leads/add skipped or refused it). */
export const NOT_ADDED_BY_INSTANTLY = "Instantly did not add this lead: it is on Instantly's blocklist, or its address was refused.";

/** Why a lead was not sent: another Instantly campaign that may still send is in the middle of a sequence to it. */
export const IN_ANOTHER_INSTANTLY_SEQUENCE =
  "Not added: another Instantly campaign is in the middle of a sequence to this lead (running or paused there). Remove the lead from that campaign, or stop it, then launch a new campaign to reach this lead.";

/** Instantly's lead statuses in which a campaign's sequence is still under way (vendors file §1.8: 1 Active, 2 Paused). */
const IN_SEQUENCE = new Set([1, 2]);

export type PushedBatch = {
  /** Leads of the batch in Instantly's campaign now or refused by it, by the address they were sent with. */
  sent: { leadId: string; email: string }[];
  /** Leads not sent because another Instantly campaign's sequence to them is under way. */
  busy?: { leadId: string }[];
  /** Leads of the audience left out because their copy could not be rendered, with the reason. */
  blocked: { leadId: string; reason: string }[];
  /** Instantly's lead ids by address (trimmed, lower-cased): those created, and those found already in the campaign. */
  instantlyIds: Map<string, string>;
};

/**
 * Where the batch's addresses stand in the Instantly workspace, before it is added: those already
 * in this campaign (a batch sent again after its first answer was lost: not added twice), and
 * those another campaign that may still send is in the middle of a sequence to (not added: two
 * sequences at once). A lead whose sequence there ended, or whose campaign has ended (one of
 * ours stopped or completed: Instantly keeps it paused with its leads; one of Instantly's
 * completed or a draft), is added like any other: a follow-up campaign to earlier prospects
 * reaches them (Instantly's own `skip_if_in_campaign` would skip every lead ever in any campaign).
 */
export async function instantlyStandingOf(
  db: Executor,
  client: InstantlyClient,
  target: { workspaceId: string; instantlyCampaignId: string },
  emails: string[],
): Promise<{ here: Map<string, string>; busyElsewhere: Set<string> }> {
  const here = new Map<string, string>();
  const inSequenceElsewhere = new Map<string, Set<string>>();
  if (emails.length === 0) return { here, busyElsewhere: new Set() };
  const scope = { contacts: emails };
  // Read to the empty page the vendor file says ends a list: a lead missed here would be added twice.
  for await (const page of instantlyPages((after) => listLeadsPage(client, after, INSTANTLY_PAGE_LIMIT, undefined, scope))) {
    for (const lead of page.items) {
      const email = normaliseEmail(lead.email);
      if (!email) continue;
      if (lead.campaign === target.instantlyCampaignId) here.set(email, lead.id);
      else if (lead.campaign && lead.status != null && IN_SEQUENCE.has(lead.status)) {
        inSequenceElsewhere.set(email, (inSequenceElsewhere.get(email) ?? new Set()).add(lead.campaign));
      }
    }
  }
  const ended = await endedInstantlyCampaigns(db, target.workspaceId, [
    ...new Set([...inSequenceElsewhere.values()].flatMap((c) => [...c])),
  ]);
  const busyElsewhere = new Set(
    [...inSequenceElsewhere]
      .filter(([email, campaigns]) => !here.has(email) && [...campaigns].some((c) => !ended.has(c)))
      .map(([email]) => email),
  );
  return { here, busyElsewhere };
}

/**
 * Of these Instantly campaigns, those that will send nothing more: one of ours that was stopped
 * or completed (stopping only pauses it there, its leads kept), or one of Instantly's own the
 * last sync saw as a draft (0) or completed (3) (vendors file §1.4). Unknown ones may still send.
 */
async function endedInstantlyCampaigns(db: Executor, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.execute<{ id: string }>(sql`
    select p.instantly_campaign_id as id from public.instantly_campaign_pushes p
    join public.campaigns c on c.id = p.campaign_id and c.workspace_id = p.workspace_id
    where p.workspace_id = ${workspaceId} and p.instantly_campaign_id = any(${pgArray(ids)}::text[])
      and c.status in ('stopped', 'completed')
    union
    select ic.instantly_id from public.instantly_campaigns ic
    where ic.workspace_id = ${workspaceId} and ic.instantly_id = any(${pgArray(ids)}::text[])
      and ic.raw ->> 'status' in ('0', '3')
      and not exists (select 1 from public.instantly_campaign_pushes p
                      where p.workspace_id = ic.workspace_id and p.instantly_campaign_id = ic.instantly_id)`);
  return new Set(rows.map((r) => r.id));
}

/**
 * The batch's enrollments: active with Instantly's lead id for the leads in the Instantly
 * campaign; skipped for those Instantly did not add, those in another of its campaigns'
 * sequences, and those whose copy could not be
 * rendered (our sending path ends those with the same cause). A batch enrolled before (a
 * retry) changes nothing.
 */
export async function enrollPushedBatch(
  tx: Executor,
  target: { workspaceId: string; campaignId: string },
  batch: PushedBatch,
): Promise<{ active: number; skipped: number }> {
  const leadIds: string[] = [];
  const instantlyIds: (string | null)[] = [];
  const statuses: string[] = [];
  const causes: (string | null)[] = [];
  const reasons: (string | null)[] = [];
  for (const lead of batch.sent) {
    const id = batch.instantlyIds.get(normaliseEmail(lead.email) ?? "") ?? null;
    leadIds.push(lead.leadId);
    instantlyIds.push(id);
    statuses.push(id ? "active" : "skipped");
    causes.push(id ? null : "provider_rejected");
    reasons.push(id ? null : NOT_ADDED_BY_INSTANTLY);
  }
  for (const lead of batch.busy ?? []) {
    leadIds.push(lead.leadId);
    instantlyIds.push(null);
    statuses.push("skipped");
    causes.push("provider_rejected");
    reasons.push(IN_ANOTHER_INSTANTLY_SEQUENCE);
  }
  for (const lead of batch.blocked) {
    leadIds.push(lead.leadId);
    instantlyIds.push(null);
    statuses.push("skipped");
    causes.push("render_failed");
    reasons.push(lead.reason.slice(0, 500));
  }
  if (leadIds.length === 0) return { active: 0, skipped: 0 };
  await tx.execute(sql`
    insert into public.campaign_enrollments
      (workspace_id, campaign_id, lead_id, status, instantly_lead_id, end_cause, stop_reason, next_send_at, finished_at)
    select ${target.workspaceId}, ${target.campaignId}, b.lead_id, b.status::public.campaign_enrollment_status, b.instantly_lead_id,
      b.end_cause::public.campaign_enrollment_end_cause, b.stop_reason, null, case when b.status = 'active' then null else now() end
    from unnest(${pgArray(leadIds)}::uuid[], ${pgArray(statuses)}::text[], ${pgArray(instantlyIds)}::text[],
      ${pgArray(causes)}::text[], ${pgArray(reasons)}::text[]) as b(lead_id, status, instantly_lead_id, end_cause, stop_reason)
    on conflict (campaign_id, lead_id) do update
      set instantly_lead_id = coalesce(campaign_enrollments.instantly_lead_id, excluded.instantly_lead_id)`);
  const active = statuses.filter((s) => s === "active").length;
  return { active, skipped: statuses.length - active };
}

/** The whole audience is enrolled: the campaign may now complete once its last enrollment ends. */
export async function markPushEnrolled(tx: Executor, target: { workspaceId: string; campaignId: string }): Promise<void> {
  await tx.execute(sql`update public.campaigns set enrolled_at = coalesce(enrolled_at, now())
    where id = ${target.campaignId} and workspace_id = ${target.workspaceId}`);
}
