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
export const NOT_ADDED_BY_INSTANTLY =
  "Instantly did not add this lead: it is already in another Instantly campaign, on Instantly's blocklist, or its address was refused.";

export type PushedBatch = {
  /** Leads sent in the batch, by the address they were sent with. */
  sent: { leadId: string; email: string }[];
  /** Leads of the audience left out because their copy could not be rendered, with the reason. */
  blocked: { leadId: string; reason: string }[];
  /** Instantly's lead ids by address (trimmed, lower-cased): those created, and those found already in the campaign. */
  instantlyIds: Map<string, string>;
};

/**
 * Instantly's ids of the leads `POST /leads/add` did not create: a batch sent again after its
 * first answer was lost finds its leads already in the campaign (skipped by
 * `skip_if_in_campaign`), so they are looked up there by address. Those not found were
 * skipped for another reason (another campaign, the blocklist, an invalid address).
 */
export async function findLeadsInInstantlyCampaign(
  client: InstantlyClient,
  instantlyCampaignId: string,
  emails: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (emails.length === 0) return found;
  const scope = { campaign: instantlyCampaignId, contacts: emails };
  for await (const page of instantlyPages((after) => listLeadsPage(client, after, INSTANTLY_PAGE_LIMIT, undefined, scope), {
    shortPageEnds: true,
  })) {
    for (const lead of page.items) {
      const email = normaliseEmail(lead.email);
      if (email && (!lead.campaign || lead.campaign === instantlyCampaignId)) found.set(email, lead.id);
    }
  }
  return found;
}

/**
 * The batch's enrollments: active with Instantly's lead id for the leads in the Instantly
 * campaign; skipped for those Instantly did not add, and for those whose copy could not be
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
