import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns } from "@/db/schema";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { AppError } from "@/lib/errors";
import { leadsOfWorkspace } from "./choose-audience";
import { editRefusal, type CampaignActor } from "./campaign-permissions";
import { lockCampaignForEdit } from "./lock-campaign";
import { MAX_AUDIENCE_IDS } from "./types";

const STATUS_WORDS: Record<CampaignStatus, string> = {
  draft: "a draft",
  pending_approval: "awaiting approval",
  approved: "approved",
  running: "sending",
  paused: "paused",
  completed: "completed",
  stopped: "stopped",
};

/**
 * The lead table's "Add to campaign": the selected leads join a campaign whose audience is a list
 * of picked leads (or none yet). A campaign for a view or a filter is refused rather than its
 * rule silently replaced. Adding to a submitted or approved campaign returns it to draft, unless
 * `draftOnly` (the REST API: a program never undoes an approval as a side effect) refuses it.
 * `unknown`: the ids that are no live lead of the workspace (deleted, another workspace's, none).
 */
export async function addLeadsToCampaign(
  tx: Executor,
  {
    workspaceId,
    actor,
    campaignId,
    ids,
    draftOnly = false,
  }: { workspaceId: string; actor: CampaignActor; campaignId: string; ids: string[]; draftOnly?: boolean },
): Promise<{ added: number; total: number; returnedToDraft: boolean; unknown: string[] }> {
  const campaign = await lockCampaignForEdit(tx, { workspaceId, actor, campaignId });
  const refusal = editRefusal(campaign.status);
  if (refusal) throw new AppError("conflict", refusal);
  if (draftOnly && campaign.status !== "draft") {
    throw new AppError(
      "conflict",
      `“${campaign.name}” is ${STATUS_WORDS[campaign.status]}: leads can be added here only to a draft. Adding them in the app returns it to draft for a new approval.`,
    );
  }
  const audience = campaign.audience;
  if (audience && audience.kind !== "ids") {
    throw new AppError(
      "conflict",
      `“${campaign.name}” is for ${audience.kind === "view" ? `the saved view “${audience.viewName}”` : "a lead filter"}, not picked leads. Open it and change its audience, or start a new campaign.`,
    );
  }
  const existing = audience?.ids ?? [];
  const live = await leadsOfWorkspace(tx, workspaceId, ids);
  const unknown = [...new Set(ids)].filter((id) => !live.includes(id));
  const added = live.filter((id) => !existing.includes(id));
  const next = [...existing, ...added];
  if (next.length > MAX_AUDIENCE_IDS) {
    const message = `A campaign holds at most ${MAX_AUDIENCE_IDS.toLocaleString("en")} picked leads (this would make ${next.length.toLocaleString("en")}). Use a saved view or a filter for larger audiences.`;
    throw new AppError("invalid_input", message, { ids: [message] });
  }
  if (added.length === 0) return { added: 0, total: existing.length, returnedToDraft: false, unknown };
  const [saved] = await tx
    .update(campaigns)
    .set({ audience: { kind: "ids", ids: next } })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)))
    .returning({ status: campaigns.status });
  return {
    added: added.length,
    total: next.length,
    returnedToDraft: campaign.status !== "draft" && saved!.status === "draft",
    unknown,
  };
}
