import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaignIdentities, campaigns, campaignSteps, campaignStepVariants, sendingIdentities } from "@/db/schema";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { AppError } from "@/lib/errors";
import { isoMicros } from "@/lib/db-values/iso-micros";
import { editRefusal, type CampaignActor } from "./campaign-permissions";
import { storedAudienceFor } from "./choose-audience";
import { readCampaignContent } from "./get-campaign";
import { lockCampaignForEdit, type LockedCampaign } from "./lock-campaign";
import type { CampaignDraft, StepDraft, StoredAudience } from "./types";

export type SavedDraft = {
  /** The new version for the editor's next save. */
  version: string;
  status: CampaignStatus;
  /** The save changed the content of a submitted or approved campaign, which the database returned to draft. */
  returnedToDraft: boolean;
  /** The audience as stored (a newly chosen view copied from the saved view, a filter in its canonical form). */
  audience: StoredAudience | null;
};

type Scope = { workspaceId: string; campaignId: string };

/**
 * The editor's autosave: the whole draft in one transaction. Optimistic concurrency on
 * campaigns.updated_at (a save based on an older version is refused and nothing is written);
 * steps keep their ids (upserted, removed ones deleted), variants are matched by letter,
 * identities synchronised. Only what differs is written, so an unchanged save never disturbs a
 * submitted or approved campaign; a real change to one returns it to draft (migration 0023's
 * triggers, whoever writes). A running campaign is refused: pause it first.
 */
export async function saveCampaignDraft(
  tx: Executor,
  { workspaceId, actor, draft }: { workspaceId: string; actor: CampaignActor; draft: CampaignDraft },
): Promise<SavedDraft> {
  const campaign = await lockCampaignForEdit(tx, { workspaceId, actor, campaignId: draft.campaignId });
  if (campaign.version !== draft.expectedUpdatedAt) throw changedElsewhere(campaign);
  const refusal = editRefusal(campaign.status);
  if (refusal) throw new AppError("conflict", refusal);
  if (new Set(draft.steps.map((s) => s.id)).size !== draft.steps.length) {
    throw new AppError("invalid_input", "Two steps share an id. Reload the editor and make the change again.");
  }

  const scope = { workspaceId, campaignId: campaign.id };
  const current = await readCampaignContent(tx, scope);
  const audience = await audienceToStore(tx, workspaceId, actor.userId, campaign.audience, draft.audience);
  const identitiesChanged = await syncIdentities(tx, scope, current.identityIds, draft.identityIds);
  const stepsChanged = await syncSteps(tx, scope, current.steps, draft.steps);
  const settingsChanged =
    campaign.name !== draft.name ||
    !sameAudience(campaign.audience, audience) ||
    campaign.stopOnReply !== draft.stopOnReply ||
    campaign.plainTextOnly !== draft.plainTextOnly;
  if (!identitiesChanged && !stepsChanged && !settingsChanged) {
    return { version: campaign.version, status: campaign.status, returnedToDraft: false, audience };
  }

  // Written even when only steps or identities changed: the version moves with every save.
  const [saved] = await tx
    .update(campaigns)
    .set({ name: draft.name, audience, stopOnReply: draft.stopOnReply, plainTextOnly: draft.plainTextOnly })
    .where(and(eq(campaigns.id, campaign.id), eq(campaigns.workspaceId, workspaceId)))
    .returning({ version: isoMicros(campaigns.updatedAt), status: campaigns.status });
  return {
    version: saved!.version,
    status: saved!.status,
    returnedToDraft: campaign.status !== "draft" && saved!.status === "draft",
    audience,
  };
}

function changedElsewhere(campaign: LockedCampaign): AppError {
  const at = `${campaign.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return new AppError(
    "conflict",
    `This campaign was changed elsewhere (in another tab or by a teammate) at ${at}, after you opened it. Nothing was saved: reload to see that change, then make yours again.`,
  );
}

function sameAudience(a: StoredAudience | null, b: StoredAudience | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === "ids" && b.kind === "ids") return a.ids.length === b.ids.length && a.ids.every((id, i) => id === b.ids[i]);
  if (a.kind === "filter" && b.kind === "filter") return a.query === b.query;
  if (a.kind === "view" && b.kind === "view") return a.viewId === b.viewId && a.query === b.query && a.viewName === b.viewName;
  return false;
}

/**
 * The rule to store. Unchanged, it stays exactly as it was (a view keeps the query copied when it
 * was chosen); a newly chosen view is copied again from the saved view, never from the client.
 */
async function audienceToStore(
  tx: Executor,
  workspaceId: string,
  userId: string,
  stored: StoredAudience | null,
  sent: StoredAudience | null,
): Promise<StoredAudience | null> {
  if (sent === null || sameAudience(stored, sent)) return sent;
  const choice = sent.kind === "view" ? { kind: "view" as const, viewId: sent.viewId } : sent;
  return storedAudienceFor(tx, { workspaceId, userId, choice });
}

async function syncIdentities(tx: Executor, { workspaceId, campaignId }: Scope, current: string[], wanted: string[]): Promise<boolean> {
  const next = [...new Set(wanted)];
  const added = next.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !next.includes(id));
  if (added.length > 0) {
    const usable = await tx
      .select({ id: sendingIdentities.id })
      .from(sendingIdentities)
      .where(
        and(eq(sendingIdentities.workspaceId, workspaceId), inArray(sendingIdentities.id, added), isNull(sendingIdentities.archivedAt)),
      );
    if (usable.length !== added.length) {
      throw new AppError("conflict", "A sending identity you chose was archived or removed. Reload the editor and choose another.");
    }
    await tx.insert(campaignIdentities).values(added.map((identityId) => ({ workspaceId, campaignId, identityId })));
  }
  if (removed.length > 0) {
    await tx
      .delete(campaignIdentities)
      .where(
        and(
          eq(campaignIdentities.campaignId, campaignId),
          eq(campaignIdentities.workspaceId, workspaceId),
          inArray(campaignIdentities.identityId, removed),
        ),
      );
  }
  return added.length > 0 || removed.length > 0;
}

async function syncSteps(tx: Executor, { workspaceId, campaignId }: Scope, current: StepDraft[], wanted: StepDraft[]): Promise<boolean> {
  let changed = false;
  const removed = current.filter((s) => !wanted.some((w) => w.id === s.id)).map((s) => s.id);
  if (removed.length > 0) {
    changed = true;
    await tx
      .delete(campaignSteps)
      .where(and(eq(campaignSteps.campaignId, campaignId), eq(campaignSteps.workspaceId, workspaceId), inArray(campaignSteps.id, removed)));
  }
  for (const [index, step] of wanted.entries()) {
    const position = index + 1;
    const before = current.find((s) => s.id === step.id);
    const fields = { position, delayDays: step.delayDays, delayHours: step.delayHours, businessDays: step.businessDays };
    if (!before) {
      changed = true;
      const inserted = await tx
        .insert(campaignSteps)
        .values({ id: step.id, workspaceId, campaignId, ...fields })
        .onConflictDoNothing({ target: campaignSteps.id })
        .returning({ id: campaignSteps.id });
      if (inserted.length === 0)
        throw new AppError("conflict", "A step of this draft belongs to another campaign. Reload the editor and add it again.");
    } else if (
      current.indexOf(before) + 1 !== position ||
      before.delayDays !== step.delayDays ||
      before.delayHours !== step.delayHours ||
      before.businessDays !== step.businessDays
    ) {
      changed = true;
      await tx
        .update(campaignSteps)
        .set(fields)
        .where(and(eq(campaignSteps.id, step.id), eq(campaignSteps.workspaceId, workspaceId)));
    }
    if (await syncVariants(tx, { workspaceId, campaignId }, step.id, before?.variants ?? [], step.variants)) changed = true;
  }
  return changed;
}

async function syncVariants(
  tx: Executor,
  { workspaceId, campaignId }: Scope,
  stepId: string,
  current: StepDraft["variants"],
  wanted: StepDraft["variants"],
): Promise<boolean> {
  let changed = false;
  const removed = current.filter((v) => !wanted.some((w) => w.label === v.label)).map((v) => v.label);
  if (removed.length > 0) {
    changed = true;
    await tx
      .delete(campaignStepVariants)
      .where(
        and(
          eq(campaignStepVariants.stepId, stepId),
          eq(campaignStepVariants.workspaceId, workspaceId),
          inArray(campaignStepVariants.label, removed),
        ),
      );
  }
  for (const variant of wanted) {
    const before = current.find((v) => v.label === variant.label);
    if (!before) {
      changed = true;
      await tx.insert(campaignStepVariants).values({ workspaceId, campaignId, stepId, ...variant });
    } else if (before.weight !== variant.weight || before.subject !== variant.subject || before.body !== variant.body) {
      changed = true;
      await tx
        .update(campaignStepVariants)
        .set({ weight: variant.weight, subject: variant.subject, body: variant.body })
        .where(
          and(
            eq(campaignStepVariants.stepId, stepId),
            eq(campaignStepVariants.workspaceId, workspaceId),
            eq(campaignStepVariants.label, variant.label),
          ),
        );
    }
  }
  return changed;
}
