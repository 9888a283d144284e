import "server-only";
import type { Executor } from "@/db";
import { campaigns } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import { forbidden } from "@/lib/errors";
import type { CampaignActor } from "./campaign-permissions";
import { storedAudienceFor } from "./choose-audience";
import type { CreateCampaignInput } from "./schemas";

/**
 * A new draft owned by the actor, with the audience it was started from (the lead table's
 * filter, a saved view or a selection) and the defaults of DESIGN.md: stop on reply on, HTML
 * and text. Steps and identities are added in the editor.
 */
export async function createCampaign(
  tx: Executor,
  { workspaceId, actor, input }: { workspaceId: string; actor: CampaignActor; input: CreateCampaignInput },
): Promise<{ id: string }> {
  if (!can(actor.role, "campaigns.draft")) throw forbidden("Your role can read campaigns but not create them.");
  const audience = input.audience ? await storedAudienceFor(tx, { workspaceId, userId: actor.userId, choice: input.audience }) : null;
  const [row] = await tx
    .insert(campaigns)
    .values({ workspaceId, ownerId: actor.userId, name: input.name, audience })
    .returning({ id: campaigns.id });
  await recordAudit(tx, {
    workspaceId,
    actorId: actor.userId,
    action: "campaign.created",
    targetType: "campaign",
    targetId: row!.id,
    metadata: { name: input.name, audience: audience?.kind ?? null },
  });
  return { id: row!.id };
}
