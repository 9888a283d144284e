import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { leadsOfWorkspace } from "./choose-audience";
import { editRefusal, type CampaignActor } from "./campaign-permissions";
import { lockCampaignForEdit } from "./lock-campaign";
import { MAX_AUDIENCE_IDS } from "./types";

/**
 * The lead table's "Add to campaign": the selected leads join a campaign whose audience is a list
 * of picked leads (or none yet). A campaign for a view or a filter is refused rather than its
 * rule silently replaced. Adding to a submitted or approved campaign returns it to draft.
 */
export async function addLeadsToCampaign(
  tx: Executor,
  { workspaceId, actor, campaignId, ids }: { workspaceId: string; actor: CampaignActor; campaignId: string; ids: string[] },
): Promise<{ added: number; total: number; returnedToDraft: boolean }> {
  const campaign = await lockCampaignForEdit(tx, { workspaceId, actor, campaignId });
  const refusal = editRefusal(campaign.status);
  if (refusal) throw new AppError("conflict", refusal);
  const audience = campaign.audience;
  if (audience && audience.kind !== "ids") {
    throw new AppError(
      "conflict",
      `“${campaign.name}” is for ${audience.kind === "view" ? `the saved view “${audience.viewName}”` : "a lead filter"}, not picked leads. Open it and change its audience, or start a new campaign.`,
    );
  }
  const existing = audience?.ids ?? [];
  const added = (await leadsOfWorkspace(tx, workspaceId, ids)).filter((id) => !existing.includes(id));
  const next = [...existing, ...added];
  if (next.length > MAX_AUDIENCE_IDS) {
    throw new AppError(
      "invalid_input",
      `A campaign holds at most ${MAX_AUDIENCE_IDS.toLocaleString("en")} picked leads (this would make ${next.length.toLocaleString("en")}). Use a saved view or a filter for larger audiences.`,
    );
  }
  if (added.length === 0) return { added: 0, total: existing.length, returnedToDraft: false };
  const [saved] = await tx
    .update(campaigns)
    .set({ audience: { kind: "ids", ids: next } })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)))
    .returning({ status: campaigns.status });
  return { added: added.length, total: next.length, returnedToDraft: campaign.status !== "draft" && saved!.status === "draft" };
}
