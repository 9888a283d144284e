import { withUserTx, type JwtClaims } from "@/db";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { getCampaignFunnel } from "@/lib/campaigns/stats/campaign-funnel";
import { getCampaignProgress } from "@/lib/campaigns/stats/campaign-progress";
import { decodeEnrollmentCursor } from "@/lib/campaigns/stats/enrollment-cursor";
import { listCampaignEnrollments } from "@/lib/campaigns/stats/list-campaign-enrollments";
import { listCampaignRuns } from "@/lib/campaigns/stats/list-campaign-runs";
import { ZEnrollmentTableParams } from "@/lib/campaigns/stats/schemas";
import { listReplies, REPLY_PAGE_SIZE } from "@/lib/ai/replies/list-replies";
import { decodeReplyCursor } from "@/lib/ai/replies/reply-filters";
import { CampaignReplies } from "./campaign-replies";
import { CampaignProgressPanel } from "./campaign-progress-panel";
import { CampaignRuns } from "./campaign-runs";
import { EnrollmentsTable } from "./enrollments-table";
import { FunnelChart } from "./funnel-chart";
import { FunnelTable } from "./funnel-table";

type Props = {
  claims: JwtClaims;
  workspaceId: string;
  role: WorkspaceRole;
  campaignId: string;
  status: CampaignStatus;
  stepCount: number;
  /** The page's search params (the enrollments table's state filter and page). */
  searchParams: Record<string, string | string[] | undefined>;
};

/**
 * A launched campaign's running view: progress, the funnel per step and variant (chart and
 * table), the leads with their state, their replies as the model read them, and (for admins)
 * the campaign's job runs. Reads in one
 * RLS transaction of the viewer.
 */
export async function CampaignActivity({ claims, workspaceId, role, campaignId, status, stepCount, searchParams }: Props) {
  const params = ZEnrollmentTableParams.parse(searchParams);
  const badCursor = !!params.after && !decodeEnrollmentCursor(params.after);
  const cursor = badCursor ? undefined : params.after;
  const scope = { workspaceId, campaignId };
  const showRuns = can(role, "jobs.manage");
  const repliesAfter = typeof searchParams.repliesAfter === "string" ? decodeReplyCursor(searchParams.repliesAfter) : null;
  const { progress, funnel, page, runs, replies } = await withUserTx(claims, async (tx) => {
    const [progress, funnel, page, runs, replies] = await Promise.all([
      getCampaignProgress(tx, scope),
      getCampaignFunnel(tx, scope),
      listCampaignEnrollments(tx, { ...scope, status: params.state, cursor }),
      showRuns ? listCampaignRuns(tx, scope) : Promise.resolve(null),
      listReplies(tx, { workspaceId, campaignId, cursor: repliesAfter, limit: REPLY_PAGE_SIZE / 2 }),
    ]);
    return { progress, funnel, page, runs, replies };
  });
  return (
    <div className="space-y-6" data-testid="campaign-activity">
      <CampaignProgressPanel status={status} progress={progress} />
      <section aria-labelledby="campaign-funnel" className="rounded-lg border border-zinc-200 bg-white p-4">
        <h2 id="campaign-funnel" className="text-sm font-semibold text-zinc-900">
          Funnel per step and variant
        </h2>
        <p className="mt-1 text-xs text-zinc-500">
          Of the emails sent, how many were delivered, opened, clicked, replied to, bounced or led to an unsubscribe.
        </p>
        <div className="mt-3">
          <FunnelChart rows={funnel} />
        </div>
        <div className="mt-4">
          <FunnelTable rows={funnel} />
        </div>
      </section>
      <EnrollmentsTable
        campaignId={campaignId}
        page={page}
        state={params.state}
        paged={!!cursor}
        badCursor={badCursor}
        stepCount={stepCount}
      />
      <CampaignReplies campaignId={campaignId} page={replies} paged={!!repliesAfter} />
      {runs ? <CampaignRuns runs={runs} /> : null}
    </div>
  );
}
