import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { ChangesSinceApproval } from "@/components/campaigns/approval/changes-since-approval";
import { LastRejection } from "@/components/campaigns/approval/last-rejection";
import { CampaignStatusBadge } from "@/components/campaigns/campaign-status-badge";
import { CampaignActivity } from "@/components/campaigns/running/campaign-activity";
import { DeleteCampaignButton } from "@/components/campaigns/delete-campaign-button";
import { CampaignEditor } from "@/components/campaigns/editor/campaign-editor";
import { CampaignLifecycleButtons } from "@/components/campaigns/lifecycle/campaign-lifecycle-buttons";
import { InstantlyDeliveryPanel } from "@/components/campaigns/lifecycle/instantly-delivery-panel";
import { PreflightPanel, type PreflightGoal } from "@/components/campaigns/preflight/preflight-panel";
import { SubmitCampaignButton } from "@/components/campaigns/preflight/submit-campaign-button";
import { LocalTime } from "@/components/ui/local-time";
import { LiveRefresh } from "@/components/live/live-refresh";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { can } from "@/lib/auth/permissions";
import { findChangesSinceApproval } from "@/lib/campaigns/approval/changes-since-approval";
import { findLastRejection } from "@/lib/campaigns/approval/last-rejection";
import { canEditCampaign, editRefusal } from "@/lib/campaigns/campaign-permissions";
import { getCampaign } from "@/lib/campaigns/get-campaign";
import { listIdentityOptions } from "@/lib/sending-identities/list-identity-options";
import { runPreflight } from "@/lib/campaigns/preflight/run-preflight";
import { AppError } from "@/lib/errors";
import { getInstantlyDelivery } from "@/lib/integrations/instantly/push/delivery";
import { listSavedViews } from "@/lib/saved-views/saved-views";

export const metadata: Metadata = { title: "Campaign" };

type Props = { params: Promise<{ campaignId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A campaign: its status and the editor (read-only where the content cannot change now), with
 * the places where the pre-flight checks, the preview and the changes since approval render.
 */
export default async function CampaignPage({ params, searchParams }: Props) {
  const session = await requirePageSession("workspace.read");
  const { campaignId } = await params;
  if (!UUID.test(campaignId)) notFound();
  const { workspaceId, role } = session.current;
  const loaded = await withUserTx(session.claims, async (tx) => {
    let campaign;
    try {
      campaign = await getCampaign(tx, { workspaceId, campaignId });
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") return null;
      throw error;
    }
    // Pre-flight looks at the audience as it is now: what matters before launch. Once launched, the
    // enrolled leads are fixed, and the progress and funnel tell how the campaign goes.
    const [identities, views, preflight, changes, rejection, delivery] = await Promise.all([
      listIdentityOptions(tx, { workspaceId }),
      listSavedViews(tx, { workspaceId, userId: session.userId, tableName: "leads" }),
      preflightGoal(campaign.status) ? runPreflight(tx, { workspaceId, userId: session.userId, campaignId }) : null,
      findChangesSinceApproval(tx, { workspaceId, campaignId }),
      findLastRejection(tx, { workspaceId, campaignId }),
      getInstantlyDelivery(tx, workspaceId, campaignId),
    ]);
    return { campaign, identities, views, preflight, changes, rejection, delivery };
  });
  if (!loaded) notFound();
  const { campaign, identities, views, preflight, changes, rejection, delivery } = loaded;
  const counts = preflight?.audience;
  const goal = preflightGoal(campaign.status);
  const mayEdit = canEditCampaign(role, session.userId, campaign.ownerId);
  const readOnlyReason = !can(role, "campaigns.draft")
    ? "Your role can read campaigns but not change them."
    : !mayEdit
      ? `This campaign belongs to ${campaign.ownerName ?? "another teammate"}: only its author, a manager or an admin can change it.`
      : editRefusal(campaign.status);

  return (
    <>
      <PageHeader
        title={campaign.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <CampaignStatusBadge status={campaign.status} />
            <span>by {campaign.ownerName ?? "a former member"}</span>
            <span aria-hidden>·</span>
            <span>
              last change <LocalTime value={campaign.updatedAt} withTime />
            </span>
          </span>
        }
        actions={
          // A draft never launched can be deleted; one edited since its launch can only be stopped.
          mayEdit && campaign.status === "draft" && !campaign.launchedAt ? (
            <DeleteCampaignButton campaignId={campaign.id} name={campaign.name} />
          ) : can(role, "campaigns.run") ? (
            <CampaignLifecycleButtons
              campaignId={campaign.id}
              name={campaign.name}
              status={campaign.status}
              launched={campaign.launchedAt !== null}
              delivery={delivery.delivery}
              instantlyConnected={delivery.instantlyConnected}
              instantlySandbox={delivery.instantlySandbox}
              instantlySignature={delivery.signature}
            />
          ) : null
        }
      />
      <div className="grid gap-6 p-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          {/* Its state and figures follow each change (live updates). */}
          <LiveRefresh kinds={["campaign"]} ids={[campaign.id]} />
          {campaign.launchedAt ? (
            <CampaignActivity
              claims={session.claims}
              workspaceId={workspaceId}
              role={role}
              campaignId={campaign.id}
              status={campaign.status}
              stepCount={campaign.draft.steps.length}
              searchParams={await searchParams}
            />
          ) : null}
          <CampaignEditor
            key={campaign.id}
            initial={campaign.draft}
            status={campaign.status}
            identities={identities}
            views={views.map((v) => ({ id: v.id, name: v.name }))}
            readOnlyReason={readOnlyReason}
            showPreview={can(role, "campaigns.draft")}
            audienceCounts={
              counts ? (
                <p className="text-sm text-zinc-700" data-testid="audience-counts">
                  {counts.matched.toLocaleString("en")} {counts.matched === 1 ? "lead matches" : "leads match"},{" "}
                  {counts.eligible.toLocaleString("en")} can be emailed.
                </p>
              ) : null
            }
          />
        </div>
        <aside aria-label="Checks and approval" className="space-y-4">
          {campaign.status === "draft" && mayEdit && can(role, "campaigns.submit") ? (
            <SubmitCampaignButton campaignId={campaign.id} blocked={(preflight?.blocking.length ?? 0) > 0} />
          ) : campaign.status === "pending_approval" ? (
            <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
              Waiting for an admin to approve it
              {campaign.submittedAt ? (
                <>
                  {" "}
                  (submitted <LocalTime value={campaign.submittedAt} withTime />)
                </>
              ) : null}
              .
            </p>
          ) : null}
          <InstantlyDeliveryPanel view={delivery} />
          <LastRejection rejection={rejection} />
          <ChangesSinceApproval changes={changes} />
          {preflight && goal ? <PreflightPanel report={preflight} goal={goal} /> : null}
        </aside>
      </div>
    </>
  );
}

function preflightGoal(status: CampaignStatus): PreflightGoal | null {
  if (status === "draft") return "submission";
  if (status === "pending_approval") return "approval";
  if (status === "approved") return "launch";
  return null;
}
