import { z } from "zod";
import type { CampaignStatus } from "@/db/schema/campaign-enums";

/**
 * The campaign contracts shared by the editor (browser), the services and the jobs. Pure: no
 * server imports. The database holds the same shapes (db/schema/campaigns.ts) and hashes them
 * (private.campaign_content, migration 0023).
 */

export const MAX_STEPS = 20;
export const VARIANT_LABELS = ["A", "B", "C", "D", "E"] as const;
export type VariantLabel = (typeof VARIANT_LABELS)[number];
/** Up to this many picked leads are stored as ids; larger audiences are a view or a filter. */
export const MAX_AUDIENCE_IDS = 1_000;

/**
 * Which leads a campaign is for, as stored in campaigns.audience. A saved view is copied as the
 * query it had when it was chosen (the rule that is approved is what was seen, even if the view
 * changes later); `query` is the lead table's URL query, parsed again by lib/leads/list-state.ts
 * wherever it is resolved.
 */
export const ZStoredAudience = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("view"), viewId: z.uuid(), viewName: z.string().max(80), query: z.string().max(4_000) }),
  z.object({ kind: z.literal("filter"), query: z.string().max(4_000) }),
  z.object({
    kind: z.literal("ids"),
    ids: z
      .array(z.uuid())
      .min(1, "Pick at least one lead.")
      .max(MAX_AUDIENCE_IDS, `Pick at most ${MAX_AUDIENCE_IDS.toLocaleString("en")} leads, or use a saved view.`),
  }),
]);
export type StoredAudience = z.infer<typeof ZStoredAudience>;

export const ZVariantDraft = z.object({
  label: z.enum(VARIANT_LABELS),
  /** Percentage of the step's leads; a step's weights sum to 100 before submission. */
  weight: z.number().int().min(0).max(100),
  subject: z.string().max(500, "Keep the subject under 500 characters."),
  body: z.string().max(20_000, "Keep the body under 20,000 characters."),
});
export type VariantDraft = z.infer<typeof ZVariantDraft>;

export const ZStepDraft = z.object({
  /** Stable across saves (made by the editor for a new step): enrollments and messages refer to it. */
  id: z.uuid(),
  delayDays: z.number().int().min(0).max(365),
  delayHours: z.number().int().min(0).max(23),
  businessDays: z.boolean(),
  variants: z
    .array(ZVariantDraft)
    .min(1)
    .max(VARIANT_LABELS.length)
    .refine((vs) => new Set(vs.map((v) => v.label)).size === vs.length, "Each variant needs its own letter."),
});
export type StepDraft = z.infer<typeof ZStepDraft>;

/** Everything the editor autosaves: the whole draft at once, with the version it was based on. */
export const ZCampaignDraft = z.object({
  campaignId: z.uuid(),
  /** campaigns.updated_at as the editor last read it (ISO): a stale save is refused, never merged. */
  expectedUpdatedAt: z.string(),
  name: z.string().trim().min(1, "Give the campaign a name.").max(120, "Keep the name under 120 characters."),
  identityIds: z.array(z.uuid()).max(10, "Use at most 10 sending identities."),
  audience: ZStoredAudience.nullable(),
  stopOnReply: z.boolean(),
  plainTextOnly: z.boolean(),
  steps: z.array(ZStepDraft).max(MAX_STEPS, `A campaign has at most ${MAX_STEPS} steps.`),
});
export type CampaignDraft = z.infer<typeof ZCampaignDraft>;

/**
 * Why a lead of the audience is left out, in the order they are checked: a lead is counted
 * under the first reason that applies, so the counts add up to the excluded total.
 */
export const EXCLUSION_REASONS = {
  no_email: "No email address",
  email_invalid: "Email address marked invalid",
  unsubscribed: "Unsubscribed",
  bounced: "Bounced before",
  /** The send step refuses them too (lib/sending/send/lead-refusal.ts): counted here so the numbers agree. */
  replied: "Already replied",
  suppressed: "On the suppression list",
  active_elsewhere: "Already active in another campaign",
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: "Draft",
  pending_approval: "Pending approval",
  approved: "Approved",
  running: "Running",
  paused: "Paused",
  completed: "Completed",
  stopped: "Stopped",
};
