import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { EnrollmentHistoryView } from "@/components/campaigns/running/enrollment-history";
import { EnrollmentStateBadge } from "@/components/campaigns/running/enrollment-state-badge";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { getCampaign } from "@/lib/campaigns/get-campaign";
import { getEnrollmentHistory } from "@/lib/campaigns/stats/get-enrollment-history";
import { ZEnrollmentRef } from "@/lib/campaigns/stats/schemas";
import { AppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Lead in campaign" };

type Props = { params: Promise<{ campaignId: string; enrollmentId: string }> };

/** One lead's emails in a campaign: each with what the provider reported, the replies' text, and its sequence runs. */
export default async function EnrollmentPage({ params }: Props) {
  const session = await requirePageSession("workspace.read");
  const ref = ZEnrollmentRef.safeParse(await params);
  if (!ref.success) notFound();
  const { campaignId, enrollmentId } = ref.data;
  const { workspaceId, role } = session.current;
  const loaded = await withUserTx(session.claims, async (tx) => {
    try {
      const [campaign, history] = await Promise.all([
        getCampaign(tx, { workspaceId, campaignId }),
        getEnrollmentHistory(tx, { workspaceId, campaignId, enrollmentId }),
      ]);
      return { campaign, history };
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") return null;
      throw error;
    }
  });
  if (!loaded) notFound();
  const { campaign, history } = loaded;
  const lead = history.enrollment;
  const who = lead.leadName ?? lead.leadEmail ?? "A lead";
  return (
    <>
      <PageHeader
        title={who}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <EnrollmentStateBadge status={lead.status} />
            <span>
              in{" "}
              <Link href={`/campaigns/${campaign.id}`} className="underline underline-offset-2">
                {campaign.name}
              </Link>
            </span>
          </span>
        }
      />
      <div className="p-6">
        <EnrollmentHistoryView history={history} stepCount={campaign.draft.steps.length} showRuns={can(role, "jobs.manage")} />
      </div>
    </>
  );
}
