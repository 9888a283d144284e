import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit/record-audit";
import { CAMPAIGN_STATUS_LABELS } from "@/lib/campaigns/types";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { notify } from "@/lib/notifications/notify";
import { blockingReasons, runPreflight } from "./preflight/run-preflight";

export type SubmitCampaignResult = { campaignId: string; contentHash: string; warnings: number };

/**
 * Sends a draft for approval (DESIGN.md §7.1): pre-flight runs on the server first and any
 * blocking problem refuses the submission with its reasons; then the campaign becomes
 * pending_approval (the database records the hash of exactly what was submitted), the
 * submission is audited and the workspace's admins are notified, all in the caller's
 * transaction. A sales rep submits only their own campaigns (RLS says the same).
 */
export async function submitCampaign(
  tx: Database,
  { workspaceId, actor, campaignId }: { workspaceId: string; actor: { userId: string; role: WorkspaceRole }; campaignId: string },
): Promise<SubmitCampaignResult> {
  if (!can(actor.role, "campaigns.submit")) throw forbidden("Your role cannot submit campaigns. Ask a sales rep, a manager or an admin.");

  const [campaign] = await tx.execute<{ name: string; owner_id: string | null }>(sql`
    select name, owner_id from public.campaigns where id = ${campaignId} and workspace_id = ${workspaceId}`);
  if (!campaign) throw notFound("That campaign");
  if (actor.role === "sales_rep" && campaign.owner_id !== actor.userId) {
    throw forbidden("You can submit only campaigns you own. Ask its owner or a manager.");
  }
  // Locked (now that RLS lets this member update it): a concurrent edit or second submit waits.
  const [locked] = await tx.execute<{ status: CampaignStatus }>(sql`
    select status from public.campaigns where id = ${campaignId} and workspace_id = ${workspaceId} for update`);
  if (!locked) throw notFound("That campaign");
  if (locked.status !== "draft") {
    throw new AppError(
      "conflict",
      locked.status === "pending_approval"
        ? "This campaign is already waiting for approval."
        : `Only a draft can be submitted; this campaign is ${CAMPAIGN_STATUS_LABELS[locked.status].toLowerCase()}.`,
    );
  }

  const report = await runPreflight(tx, { workspaceId, userId: actor.userId, campaignId });
  if (report.blocking.length > 0) {
    const reasons = blockingReasons(report);
    throw new AppError("invalid_input", `This campaign cannot be submitted yet. ${reasons.join(" ")}`, { campaign: reasons });
  }

  const [submitted] = await tx.execute<{ submitted_content_hash: string }>(sql`
    update public.campaigns set status = 'pending_approval', submitted_at = now(), submitted_by = ${actor.userId}
    where id = ${campaignId} and workspace_id = ${workspaceId}
    returning submitted_content_hash`);
  if (!submitted) throw notFound("That campaign");

  await recordAudit(tx, {
    workspaceId,
    actorId: actor.userId,
    action: "campaign.submitted",
    targetType: "campaign",
    targetId: campaignId,
    metadata: {
      name: campaign.name,
      contentHash: submitted.submitted_content_hash,
      eligibleLeads: report.audience?.eligible ?? 0,
      warnings: report.warnings.length,
    },
  });
  const eligible = report.audience?.eligible ?? 0;
  await notify(tx, {
    workspaceId,
    actorId: actor.userId,
    to: { roles: ["admin"] },
    kind: "campaign_submitted",
    title: `"${campaign.name}" is waiting for your approval`,
    body: `${eligible.toLocaleString("en")} ${eligible === 1 ? "lead" : "leads"}, ${report.warnings.length === 0 ? "no warnings" : `${report.warnings.length} ${report.warnings.length === 1 ? "warning" : "warnings"}`} from pre-flight.`,
    link: `/approvals/${campaignId}`,
    subjectId: campaignId,
  });

  return { campaignId, contentHash: submitted.submitted_content_hash, warnings: report.warnings.length };
}
