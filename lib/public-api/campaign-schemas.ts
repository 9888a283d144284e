import { z } from "zod";
import { CAMPAIGN_STATUSES, ENROLLMENT_STATUSES } from "@/db/schema/campaign-enums";
import { FUNNEL_STAGES } from "@/lib/campaigns/stats/funnel-stages";
import { MAX_AUDIENCE_IDS, VARIANT_LABELS } from "@/lib/campaigns/types";

/** The REST API's campaign schemas: the campaign list's filters, a campaign as its page shows it, and its figures. */

export const ZCampaignListQuery = z
  .strictObject({
    status: z
      .string()
      .max(200)
      .transform((value, ctx) => {
        const statuses = [
          ...new Set(
            value
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ];
        const unknown = statuses.filter((s) => !(CAMPAIGN_STATUSES as readonly string[]).includes(s));
        if (unknown.length > 0) {
          ctx.addIssue({ code: "custom", message: `Not a campaign status: ${unknown.join(", ")}. Use ${CAMPAIGN_STATUSES.join(", ")}.` });
          return z.NEVER;
        }
        return statuses as (typeof CAMPAIGN_STATUSES)[number][];
      })
      .optional()
      .meta({ description: `Only campaigns in these statuses, comma-separated (${CAMPAIGN_STATUSES.join(", ")}).` }),
    owner: z
      .union([z.literal("me"), z.uuid("Give a member's id, or `me`.")])
      .optional()
      .meta({ description: "Only the campaigns of this owner (a member's id), or `me` for the key's creator." }),
  })
  .meta({ id: "CampaignListQuery" });

export const ZCampaignIdParams = z.object({ id: z.uuid().meta({ description: "The campaign's id." }) });

const isoDateTime = z.string().meta({ format: "date-time" });
const count = z.number().int();

export const ZCampaignStats = z
  .object({
    enrollments: z
      .object({ ...Object.fromEntries(ENROLLMENT_STATUSES.map((s) => [s, count])), total: count })
      .meta({ description: "Leads enrolled, by the state of their sequence." }),
    emails: z.object({ ...Object.fromEntries(FUNNEL_STAGES.map((s) => [s, count])), queued: count, failed: count, skipped: count }).meta({
      description:
        "Emails by outcome (`queued`, `sent`, `failed`, `skipped`), and of those sent how many were delivered, opened, clicked, replied to, bounced (hard) and led to an unsubscribe.",
    }),
    lastSentAt: isoDateTime.nullable(),
    nextSendAt: isoDateTime.nullable().meta({ description: "When the next email of a lead still in sequence is due." }),
  })
  .meta({ id: "CampaignStats" });

const ZAudience = z
  .object({
    kind: z.enum(["ids", "filter", "view"]).meta({ description: "Picked leads, a lead filter, or a saved view's filter when chosen." }),
    leadCount: count.nullable().meta({ description: "How many leads were picked (`ids`); null for a filter or view." }),
    query: z.string().nullable().meta({ description: "The lead list's filter (`filter` and `view`), as `GET /leads` takes it." }),
    viewName: z.string().nullable(),
  })
  .nullable()
  .meta({ id: "CampaignAudience", description: "Who the campaign is for; null until chosen." });

export const ZCampaignListItem = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    ownerId: z.uuid().nullable(),
    ownerName: z.string().nullable(),
    audience: ZAudience,
    steps: count,
    updatedAt: isoDateTime,
    stats: ZCampaignStats,
  })
  .meta({ id: "CampaignListItem" });

export const ZCampaignList = z
  .object({
    data: z.array(ZCampaignListItem),
    limit: count.meta({ description: "The list holds at most this many campaigns, the most recently changed first." }),
  })
  .meta({ id: "CampaignList" });

const ZFunnelRow = z.object({
  stepPosition: count,
  variantLabel: z.string(),
  ...Object.fromEntries(FUNNEL_STAGES.map((s) => [s, count])),
});

export const ZCampaign = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    ownerId: z.uuid().nullable(),
    ownerName: z.string().nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    submittedAt: isoDateTime.nullable(),
    approvedAt: isoDateTime.nullable(),
    approvedByName: z.string().nullable(),
    launchedAt: isoDateTime.nullable(),
    audience: ZAudience,
    stopOnReply: z.boolean(),
    steps: z.array(
      z.object({
        position: count,
        delayDays: count,
        delayHours: count,
        businessDays: z.boolean(),
        variants: z.array(z.object({ label: z.enum(VARIANT_LABELS), weight: count, subject: z.string(), body: z.string() })),
      }),
    ),
    stats: ZCampaignStats,
    funnel: z.array(ZFunnelRow).meta({ description: "Per step and A/B variant: emails sent and how many of those reached each stage." }),
  })
  .meta({ id: "Campaign" });

export const ZCampaignResponse = z.object({ data: ZCampaign }).meta({ id: "CampaignResponse" });

export const ZCampaignAddLeadsBody = z
  .strictObject({
    leadIds: z
      .array(z.uuid("Each lead id must be a lead's id (a UUID)."))
      .min(1, "Give at least one lead id.")
      .max(MAX_AUDIENCE_IDS, `At most ${MAX_AUDIENCE_IDS.toLocaleString("en")} lead ids per request.`),
  })
  .meta({ id: "CampaignAddLeads", description: "Leads to add to a draft's picked audience." });

export const ZCampaignAddLeadsResponse = z
  .object({
    data: z.object({
      added: count.meta({ description: "Leads that joined the audience." }),
      total: count.meta({ description: "Leads in the audience now." }),
      unknown: z.array(z.uuid()).meta({ description: "Ids that are no live lead of this workspace: nothing was added for them." }),
    }),
  })
  .meta({ id: "CampaignAddLeadsResult" });
