import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { withServiceTx } from "@/db";
import { campaigns, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { sendEvent } from "@/lib/jobs/send-event";
import { notify } from "@/lib/notifications/notify";
import { breakerWindow, judgeBreaker, type BreakerFigures } from "./judge-breaker";

export type BreakerResult = { paused: false } | { paused: true; reason: string; figures: BreakerFigures };

/**
 * The bounce breaker (DESIGN.md §7.7), run after a hard bounce or a complaint was committed: over
 * the running campaign's latest sends (breakerWindow), a rate past the workspace's threshold
 * pauses it with the reason shown on its page, an audit entry by the system, a notification to
 * the workspace's admins and campaigns/campaign.paused (which cancels its sleeping sequences;
 * every send step also re-checks that the campaign runs). Run after the bounce's own commit, in
 * a transaction of its own, so that of two bounces processed at once the later sees both; the
 * `status = 'running'` condition pauses it once.
 */
export async function checkBounceBreaker(input: { workspaceId: string; campaignId: string }): Promise<BreakerResult> {
  return withServiceTx(async (tx) => {
    const [row] = await tx
      .select({
        status: campaigns.status,
        name: campaigns.name,
        bounceRateThreshold: workspaces.bounceRateThreshold,
        complaintRateThreshold: workspaces.complaintRateThreshold,
        breakerMinSends: workspaces.breakerMinSends,
      })
      .from(campaigns)
      .innerJoin(workspaces, eq(workspaces.id, campaigns.workspaceId))
      .where(and(eq(campaigns.id, input.campaignId), eq(campaigns.workspaceId, input.workspaceId)));
    if (!row || row.status !== "running") return { paused: false };

    const [counted] = await tx.execute<{ sends: number; hard_bounces: number; complaints: number }>(sql`
      with latest as (
        select bounce_type, complained_at from public.email_messages
        where campaign_id = ${input.campaignId} and workspace_id = ${input.workspaceId} and status = 'sent'
        order by sent_at desc
        limit ${breakerWindow(row)}
      )
      select count(*)::int as sends,
        (count(*) filter (where bounce_type = 'hard'))::int as hard_bounces,
        (count(*) filter (where complained_at is not null))::int as complaints
      from latest`);
    const figures: BreakerFigures = { sends: counted!.sends, hardBounces: counted!.hard_bounces, complaints: counted!.complaints };
    const verdict = judgeBreaker(figures, row);
    if (!verdict.trip) return { paused: false };

    const paused = await tx
      .update(campaigns)
      .set({ status: "paused", pauseReason: verdict.reason, pausedAt: sql`now()`, pausedBy: null, pauseCause: "bounce_breaker" })
      .where(and(eq(campaigns.id, input.campaignId), eq(campaigns.workspaceId, input.workspaceId), eq(campaigns.status, "running")))
      .returning({ pausedAt: campaigns.pausedAt });
    if (paused.length === 0) return { paused: false };

    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actorId: null,
      action: "campaign.auto_paused",
      targetType: "campaign",
      targetId: input.campaignId,
      metadata: { name: row.name, reason: verdict.reason, ...figures },
    });
    await notify(tx, {
      workspaceId: input.workspaceId,
      actorId: null,
      to: { roles: ["admin"] },
      kind: "campaign_auto_paused",
      title: `“${row.name}” paused itself`,
      body: verdict.reason,
      link: `/campaigns/${input.campaignId}`,
      subjectId: input.campaignId,
    });
    await sendEvent(
      {
        name: "campaigns/campaign.paused",
        data: { workspaceId: input.workspaceId, campaignId: input.campaignId },
        id: `campaign-paused-${input.campaignId}-${paused[0]!.pausedAt!.getTime()}`,
      },
      { db: tx },
    );
    return { paused: true, reason: verdict.reason, figures };
  });
}
