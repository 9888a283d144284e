import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageSession } from "@/app/_server/session";
import { DecisionHistory } from "@/components/campaigns/approval/decision-history";
import { DecisionPanel } from "@/components/campaigns/approval/decision-panel";
import { ReviewFacts } from "@/components/campaigns/approval/review-facts";
import { ReviewSamples } from "@/components/campaigns/approval/review-samples";
import { ReviewSteps } from "@/components/campaigns/approval/review-steps";
import { Badge } from "@/components/ui/badge";
import { PreflightPanel } from "@/components/campaigns/preflight/preflight-panel";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { getCampaignReview } from "@/lib/campaigns/approval/get-campaign-review";
import { renderReviewSamples } from "@/lib/campaigns/approval/review-samples";
import { runPreflight } from "@/lib/campaigns/preflight/run-preflight";
import { CAMPAIGN_STATUS_LABELS } from "@/lib/campaigns/types";

export const metadata: Metadata = { title: "Review campaign" };

type Props = { params: Promise<{ campaignId: string }> };

/**
 * The review of one submitted campaign (admins): the checks, the steps, rendered samples on real
 * leads of its audience, and the decision. Everything shown is read in one transaction with
 * the hash the decision sends back, so the admin approves what they saw and nothing else.
 */
export default async function ReviewPage({ params }: Props) {
  const session = await requirePageSession("campaigns.approve");
  const { campaignId } = await params;
  if (!z.uuid().safeParse(campaignId).success) notFound();
  const workspaceId = session.current.workspaceId;
  const loaded = await withUserTx(session.claims, async (tx) => {
    const review = await getCampaignReview(tx, { workspaceId, campaignId });
    if (!review) return null;
    // Resolved for the author ("my leads" in the rule are theirs), whoever reviews it.
    const { campaign, content } = review;
    const [preflight, samples] = await Promise.all([
      runPreflight(tx, { workspaceId, userId: session.userId, campaignId }),
      renderReviewSamples(tx, {
        workspaceId,
        campaignId,
        authorId: campaign.ownerId ?? session.userId,
        audience: campaign.audience,
        content,
      }),
    ]);
    return { review, preflight, samples };
  });
  if (!loaded) notFound();
  const { review, preflight, samples } = loaded;
  const { campaign } = review;
  const pending = campaign.status === "pending_approval";
  return (
    <>
      <PageHeader
        title={`Review: ${campaign.name}`}
        description={
          <Link href="/approvals" className="hover:underline">
            ← All approvals
          </Link>
        }
        actions={
          <Badge tone={pending ? "amber" : campaign.status === "draft" ? "neutral" : "green"}>
            {CAMPAIGN_STATUS_LABELS[campaign.status]}
          </Badge>
        }
      />
      <div className="grid gap-6 p-6 xl:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <p className="text-sm text-zinc-700">
            By {campaign.ownerName ?? "a former member"}
            {campaign.submittedAt ? (
              <>
                {" "}
                · submitted
                {campaign.submittedByName && campaign.submittedByName !== campaign.ownerName ? ` by ${campaign.submittedByName}` : ""}{" "}
                <LocalTime value={campaign.submittedAt} withTime />
              </>
            ) : null}
          </p>
          <ReviewSamples samples={samples} />
          <ReviewSteps steps={review.content.steps} />
          <DecisionHistory decisions={review.decisions} />
        </div>
        <aside className="space-y-4">
          {pending ? (
            <DecisionPanel campaignId={campaign.id} reviewedHash={review.hash} />
          ) : (
            <p role="status" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-700">
              This campaign is not waiting for approval: it is {CAMPAIGN_STATUS_LABELS[campaign.status].toLowerCase()}.{" "}
              <Link href={`/campaigns/${campaign.id}`} className="font-medium text-accent-700 underline">
                {campaign.status === "approved" ? "Open the campaign to launch it" : "Open the campaign"}
              </Link>
            </p>
          )}
          {pending ? <PreflightPanel report={preflight} goal="approval" /> : null}
          <ReviewFacts audience={campaign.audience} content={review.content} />
        </aside>
      </div>
    </>
  );
}
