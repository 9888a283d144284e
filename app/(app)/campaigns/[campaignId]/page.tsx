import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageSession } from "@/app/_server/session";
import { CampaignStatusBadge } from "@/components/campaigns/campaign-status-badge";
import { DeleteCampaignButton } from "@/components/campaigns/delete-campaign-button";
import { CampaignEditor } from "@/components/campaigns/editor/campaign-editor";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { resolveAudience } from "@/lib/campaigns/audience/resolve-audience";
import { canEditCampaign, editRefusal } from "@/lib/campaigns/campaign-permissions";
import { getCampaign } from "@/lib/campaigns/get-campaign";
import { listIdentityOptions } from "@/lib/campaigns/list-identity-options";
import { AppError } from "@/lib/errors";
import { listSavedViews } from "@/lib/saved-views/saved-views";

export const metadata: Metadata = { title: "Campaign" };

type Props = { params: Promise<{ campaignId: string }> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A campaign: its status and the editor (read-only where the content cannot change now), with
 * the places where the pre-flight checks, the preview and the changes since approval render.
 */
export default async function CampaignPage({ params }: Props) {
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
    const [identities, views, counts] = await Promise.all([
      listIdentityOptions(tx, { workspaceId }),
      listSavedViews(tx, { workspaceId, userId: session.userId, tableName: "leads" }),
      campaign.draft.audience
        ? resolveAudience(tx, { workspaceId, userId: campaign.ownerId ?? session.userId, audience: campaign.draft.audience, campaignId })
        : null,
    ]);
    return { campaign, identities, views, counts };
  });
  if (!loaded) notFound();
  const { campaign, identities, views, counts } = loaded;
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
        actions={mayEdit && campaign.status === "draft" ? <DeleteCampaignButton campaignId={campaign.id} name={campaign.name} /> : null}
      />
      <div className="grid gap-6 p-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <CampaignEditor
            key={campaign.id}
            initial={campaign.draft}
            status={campaign.status}
            identities={identities}
            views={views.map((v) => ({ id: v.id, name: v.name }))}
            readOnlyReason={readOnlyReason}
            audienceCounts={
              counts ? (
                <p className="text-sm text-zinc-700" data-testid="audience-counts">
                  {counts.matched.toLocaleString("en")} {counts.matched === 1 ? "lead matches" : "leads match"},{" "}
                  {counts.eligible.toLocaleString("en")} can be emailed.
                </p>
              ) : null
            }
          />
          {/* The preview of any step and variant for a lead of the audience lands here (templates). */}
        </div>
        <aside aria-label="Checks and approval" className="space-y-4">
          {/* The pre-flight panel and the submit button land here (preflight); "changes since approval" below it (approval). */}
          {campaign.approvedAt ? (
            <p className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-700">
              Last approved by {campaign.approvedByName ?? "an admin"} on <LocalTime value={campaign.approvedAt} withTime />.
            </p>
          ) : null}
        </aside>
      </div>
    </>
  );
}
