import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb, withServiceTx, type Database, type Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import type { EnrollmentEndCause } from "@/db/schema/campaign-enums";
import { completeCampaignIfDone } from "@/lib/campaigns/lifecycle/complete-campaign";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { endExcludedInstantlyEnrollments } from "@/lib/campaigns/lifecycle/end-excluded-instantly-enrollments";
import type { InstantlyClient } from "../client";
import { normaliseEmail } from "../raw-store";
import { instantlyPages, INSTANTLY_PAGE_LIMIT, listLeadsPage, type InstantlyPage } from "../resources";
import type { InstantlyLead } from "../schemas";

/**
 * The sync's view of the campaigns launched from here through Instantly (push-campaign.ts):
 * Instantly runs their sequences, so each lead's state there is reflected on its enrollment —
 * completed (Instantly sent its last step), replied, bounced, unsubscribed, or skipped — and
 * a campaign whose last active enrollment ends completes, as one our sequences send does
 * (lib/campaigns/lifecycle/complete-campaign.ts). The leads of each such campaign that still
 * has active enrollments are read whole each sync (`POST /leads/list` with `campaign`): a
 * lead's status changes in place, and Instantly offers no "changed since".
 */

/** Instantly's lead statuses (vendors file §1.8). */
const COMPLETED = 3;
const BOUNCED = -1;
const UNSUBSCRIBED = -2;
const SKIPPED = -3;

const ENDINGS: Record<number, { cause: EnrollmentEndCause; status: "stopped" | "skipped"; reason: string }> = {
  [BOUNCED]: { cause: "bounced", status: "stopped", reason: "Instantly reported that the address bounced." },
  [UNSUBSCRIBED]: { cause: "unsubscribed", status: "stopped", reason: "The lead unsubscribed in Instantly." },
  [SKIPPED]: { cause: "provider_rejected", status: "skipped", reason: "Instantly skipped this lead." },
};
const REPLIED = { cause: "replied" as const, status: "stopped" as const, reason: "The lead replied (in Instantly)." };

export type EnrollmentsReflected = { completed: number; ended: number; linked: number };

const count = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : 0);

/** Campaigns of the workspace pushed to Instantly, activated there, with enrollments still active. */
export async function pushedCampaignsToFollow(db: Executor, workspaceId: string) {
  return db.execute<{ campaign_id: string; instantly_campaign_id: string }>(sql`
    select p.campaign_id, p.instantly_campaign_id from public.instantly_campaign_pushes p
    where p.workspace_id = ${workspaceId} and p.instantly_campaign_id is not null and p.activated_at is not null
      and exists (select 1 from public.campaign_enrollments e
                  where e.campaign_id = p.campaign_id and e.workspace_id = p.workspace_id and e.status = 'active')
    order by p.campaign_id`);
}

/**
 * One page of an Instantly campaign's leads, on our campaign's enrollments, in the sync's
 * service transaction: an enrollment without Instantly's id gets it (matched by address),
 * then each active one moves as its lead did. Idempotent: only active enrollments move.
 */
export async function reflectOnEnrollments(
  tx: Executor,
  target: { workspaceId: string; campaignId: string },
  leads: InstantlyLead[],
): Promise<EnrollmentsReflected> {
  const done: EnrollmentsReflected = { completed: 0, ended: 0, linked: 0 };
  const known = leads.filter((l) => normaliseEmail(l.email));
  if (known.length === 0) return done;
  const linked = await tx.execute(sql`
    update public.campaign_enrollments e set instantly_lead_id = b.instantly_id, updated_at = now()
    from unnest(${pgArray(known.map((l) => normaliseEmail(l.email)))}::text[], ${pgArray(known.map((l) => l.id))}::text[])
      as b(email, instantly_id)
    join public.leads l on lower(l.email) = b.email
    where e.workspace_id = ${target.workspaceId} and e.campaign_id = ${target.campaignId}
      and l.workspace_id = e.workspace_id and l.id = e.lead_id and e.instantly_lead_id is null
    returning e.id`);
  done.linked = linked.length;

  const completedIds = known.filter((l) => l.status === COMPLETED).map((l) => l.id);
  if (completedIds.length > 0) {
    // Instantly sent the sequence's last step: the enrollment completed, with no end cause.
    const completed = await tx.execute(sql`
      update public.campaign_enrollments set status = 'completed', next_send_at = null, finished_at = now(), updated_at = now()
      where workspace_id = ${target.workspaceId} and campaign_id = ${target.campaignId} and status = 'active'
        and instantly_lead_id = any(${pgArray(completedIds)}::text[])
      returning id`);
    done.completed = completed.length;
  }

  for (const lead of known) {
    const raw = lead as Record<string, unknown>;
    const ending = lead.status != null && ENDINGS[lead.status] ? ENDINGS[lead.status] : count(raw.email_reply_count) > 0 ? REPLIED : null;
    if (!ending) continue;
    const [enrollment] = await tx.execute<{ id: string }>(sql`
      select id from public.campaign_enrollments
      where workspace_id = ${target.workspaceId} and campaign_id = ${target.campaignId} and status = 'active'
        and instantly_lead_id = ${lead.id}`);
    if (!enrollment) continue;
    // No run of ours sleeps on these enrollments: nothing to announce.
    const ended = await endEnrollments(tx, { workspaceId: target.workspaceId, enrollmentId: enrollment.id, ...ending, emit: false });
    done.ended += ended.length;
  }
  return done;
}

/**
 * The sync's step for the campaigns launched from here: each one's leads read from Instantly,
 * stored in the raw layer with what they say reflected on our leads (`store`), then on its
 * enrollments; then it completes if none is left active.
 */
export async function syncPushedCampaigns(
  client: InstantlyClient,
  workspaceId: string,
  store: (tx: Database, leads: InstantlyLead[]) => Promise<number>,
): Promise<{ stored: number; reflected: EnrollmentsReflected; completedCampaigns: number }> {
  const reflected: EnrollmentsReflected = { completed: 0, ended: 0, linked: 0 };
  let stored = 0;
  let completedCampaigns = 0;
  // What a suppression or a delete ended at once, caught here too if its after-commit work was lost (a crash).
  const excluded = await endExcludedInstantlyEnrollments(workspaceId);
  reflected.ended += excluded.suppressed + excluded.deleted;
  const pushes = await pushedCampaignsToFollow(serviceDb(), workspaceId);
  for (const push of pushes) {
    const target = { workspaceId, campaignId: push.campaign_id };
    // To the empty page that ends a list (vendors file §1.2): a lead missed would keep its enrollment active.
    const pages: AsyncGenerator<InstantlyPage<InstantlyLead>> = instantlyPages((after) =>
      listLeadsPage(client, after, INSTANTLY_PAGE_LIMIT, undefined, { campaign: push.instantly_campaign_id }),
    );
    for await (const page of pages) {
      const mine = page.items.filter((l) => !l.campaign || l.campaign === push.instantly_campaign_id);
      stored += await withServiceTx(async (tx) => {
        const n = await store(tx, mine);
        const more = await reflectOnEnrollments(tx, target, mine);
        reflected.completed += more.completed;
        reflected.ended += more.ended;
        reflected.linked += more.linked;
        return n;
      });
    }
    // After the commits: the enrollments Instantly completed may have been the last active ones.
    if (await completeCampaignIfDone(serviceDb(), push.campaign_id)) completedCampaigns++;
  }
  return { stored, reflected, completedCampaigns };
}
