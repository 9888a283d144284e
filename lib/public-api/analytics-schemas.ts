import { z } from "zod";
import { LEAD_SOURCES } from "@/db/schema/lead-enums";
import { MAX_RANGE_DAYS } from "@/lib/analytics/range";
import { ANALYTICS_STAGES } from "@/lib/analytics/stages";

/**
 * The REST API's analytics schemas. The range parameters are read as the analytics page reads
 * its URL: a malformed date, an inverted range or one over two years is corrected and said in
 * `notices`, never refused; only a parameter nobody knows is (422, naming it).
 */
const param = (description: string) => z.string().max(200).optional().meta({ description });

export const ZAnalyticsQuery = z
  .strictObject({
    from: param("First day (YYYY-MM-DD) in `tz`; 30 days before `to` by default."),
    to: param("Last day (YYYY-MM-DD) in `tz`, included; today by default."),
    tz: param("IANA time zone the days are in; the workspace's by default."),
    campaign: param("Only this campaign (its id)."),
    owner: param("Only leads of this owner (a member's id)."),
    identity: param("Only emails from this sending identity (its id)."),
    source: param(`Only leads from this source (${LEAD_SOURCES.join(", ")}).`),
  })
  .meta({ id: "AnalyticsQuery" });

const count = z.number().int();
const stages = Object.fromEntries(ANALYTICS_STAGES.map((s) => [s, count])) as Record<(typeof ANALYTICS_STAGES)[number], typeof count>;
const ZStageCounts = z.object(stages).meta({ id: "StageCounts", description: "Emails sent, and of those how many reached each stage." });

const ZRange = z
  .object({
    from: z.string().meta({ format: "date" }),
    to: z.string().meta({ format: "date" }),
    timeZone: z.string(),
    filters: z.object({
      campaignId: z.uuid().optional(),
      ownerId: z.uuid().optional(),
      identityId: z.uuid().optional(),
      source: z.enum(LEAD_SOURCES).optional(),
    }),
  })
  .meta({ id: "AnalyticsRange", description: `The range and filters used, after correction (at most ${MAX_RANGE_DAYS} days).` });

const notices = z.array(z.string()).meta({ description: "What was corrected in the range or filters, in words (empty when nothing was)." });

const rate = z.number().nullable();
export const ZAnalyticsHeadline = z
  .object({
    data: z.object({
      range: ZRange,
      notices,
      headline: ZStageCounts.extend({
        replyRate: rate.meta({
          description:
            "replied / sent, each counted when it happened within the range (as the Analytics page counts), so a range that starts after emails went out can count more replies than sends and pass 1; null when nothing was sent.",
        }),
        bounceRate: rate,
        complaintRate: rate,
      }),
    }),
  })
  .meta({ id: "AnalyticsHeadline" });

const ZVerdict = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("winner"), label: z.string(), p: z.number() }),
    z.object({ kind: z.literal("no_difference"), p: z.number() }),
    z.object({ kind: z.literal("not_enough_data") }),
    z.object({ kind: z.literal("single_variant") }),
  ])
  .meta({
    id: "VariantVerdict",
    description: "Whether one A/B variant's reply rate beats the others' (two-proportion z-test at the 5 % level).",
  });

export const ZAnalyticsFunnel = z
  .object({
    data: z.object({
      range: ZRange,
      notices,
      campaigns: z.array(
        z.object({
          campaignId: z.uuid(),
          campaignName: z.string(),
          totals: ZStageCounts,
          steps: z.array(
            z.object({
              stepPosition: count,
              verdict: ZVerdict,
              variants: z.array(ZStageCounts.extend({ variantLabel: z.string() })),
            }),
          ),
        }),
      ),
    }),
  })
  .meta({ id: "AnalyticsFunnel" });
