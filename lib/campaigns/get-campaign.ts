import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db";
import { campaignIdentities, campaigns, campaignSteps, campaignStepVariants, profiles } from "@/db/schema";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { notFound } from "@/lib/errors";
import { isoMicros } from "@/lib/db-values/iso-micros";
import { CAMPAIGN_NOT_FOUND } from "./lock-campaign";
import type { CampaignDraft, StepDraft, StoredAudience, VariantLabel } from "./types";

export type CampaignView = {
  id: string;
  name: string;
  status: CampaignStatus;
  ownerId: string | null;
  ownerName: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
  approvedByName: string | null;
  approvalId: string | null;
  launchedAt: string | null;
  /** Exactly what the editor edits and autosaves, with the version it is based on. */
  draft: CampaignDraft;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The steps (in order, with their variants by letter) and identity ids of a campaign. */
export async function readCampaignContent(
  tx: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<{ steps: StepDraft[]; identityIds: string[] }> {
  const [steps, variants, identities] = await Promise.all([
    tx
      .select()
      .from(campaignSteps)
      .where(and(eq(campaignSteps.campaignId, campaignId), eq(campaignSteps.workspaceId, workspaceId)))
      .orderBy(asc(campaignSteps.position)),
    tx
      .select()
      .from(campaignStepVariants)
      .where(and(eq(campaignStepVariants.campaignId, campaignId), eq(campaignStepVariants.workspaceId, workspaceId)))
      .orderBy(asc(campaignStepVariants.label)),
    tx
      .select({ id: campaignIdentities.identityId })
      .from(campaignIdentities)
      .where(and(eq(campaignIdentities.campaignId, campaignId), eq(campaignIdentities.workspaceId, workspaceId)))
      .orderBy(asc(campaignIdentities.identityId)),
  ]);
  return {
    steps: steps.map((s) => ({
      id: s.id,
      delayDays: s.delayDays,
      delayHours: s.delayHours,
      businessDays: s.businessDays,
      variants: variants
        .filter((v) => v.stepId === s.id)
        .map((v) => ({ label: v.label as VariantLabel, weight: v.weight, subject: v.subject, body: v.body })),
    })),
    identityIds: identities.map((i) => i.id),
  };
}

/**
 * One campaign of the workspace with its whole draft (any member may read it; RLS agrees).
 * Identities come back ordered by id: a campaign's identities are a set.
 */
export async function getCampaign(
  tx: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<CampaignView> {
  const owner = alias(profiles, "owner");
  const approver = alias(profiles, "approver");
  const [row] = await tx
    .select({
      campaign: campaigns,
      version: isoMicros(campaigns.updatedAt),
      ownerName: owner.fullName,
      ownerEmail: owner.email,
      approverName: approver.fullName,
      approverEmail: approver.email,
    })
    .from(campaigns)
    .leftJoin(owner, eq(owner.id, campaigns.ownerId))
    .leftJoin(approver, eq(approver.id, campaigns.approvedBy))
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)));
  if (!row) throw notFound(CAMPAIGN_NOT_FOUND);
  const c = row.campaign;
  const content = await readCampaignContent(tx, { workspaceId, campaignId });
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    ownerId: c.ownerId,
    ownerName: row.ownerName || row.ownerEmail || null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    submittedAt: iso(c.submittedAt),
    approvedAt: iso(c.approvedAt),
    approvedByName: row.approverName || row.approverEmail || null,
    approvalId: c.approvalId,
    launchedAt: iso(c.launchedAt),
    draft: {
      campaignId: c.id,
      expectedUpdatedAt: row.version,
      name: c.name,
      identityIds: content.identityIds,
      audience: (c.audience as StoredAudience | null) ?? null,
      stopOnReply: c.stopOnReply,
      plainTextOnly: c.plainTextOnly,
      steps: content.steps,
    },
  };
}
