import "server-only";
import type { z } from "zod";
import { getAnalyticsSummary } from "@/lib/analytics/analytics-summary";
import { resolveAnalyticsRange } from "@/lib/analytics/get-analytics";
import type { ApiContext, ApiRouteDefinition } from "../define-route";
import { ZAnalyticsFunnel, ZAnalyticsHeadline, ZAnalyticsQuery } from "../analytics-schemas";

/**
 * The analytics page's headline figures and funnel, from the same rollups and services. They
 * need `analytics.read` (analysts and up, as the page): a read key acts as an analyst, so
 * they answer any key whose creator still sees analytics.
 */

const RANGE_DESCRIPTION =
  "Days in `tz` (the workspace's zone by default), both included. A malformed date, an inverted range or one over two years is corrected, and `notices` says how; a filter that is not understood is ignored with a notice. Needs a key whose role sees analytics: a read key acts as an analyst; a key whose creator was demoted to viewer is refused (403).";

async function summaryOf({ principal, tx }: ApiContext, query: z.output<typeof ZAnalyticsQuery>) {
  const range = await resolveAnalyticsRange(tx, principal.workspaceId, query);
  return getAnalyticsSummary(tx, { ...range, workspaceId: principal.workspaceId });
}

export const analyticsHeadlineRoute = {
  doc: {
    method: "get",
    path: "/analytics/headline",
    operationId: "getAnalyticsHeadline",
    tag: "Analytics",
    summary: "Headline figures",
    description: `The analytics page's headline: emails sent and how many reached each stage, with the reply, bounce and complaint rates. ${RANGE_DESCRIPTION}`,
    status: 200,
    response: ZAnalyticsHeadline,
  },
  access: "read",
  permission: "analytics.read",
  query: ZAnalyticsQuery,
  handler: async (context, { query }) => {
    const { range, notices, headline } = await summaryOf(context, query);
    return { body: { data: { range, notices, headline } } };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, typeof ZAnalyticsQuery, z.ZodUndefined, z.input<typeof ZAnalyticsHeadline>>;

export const analyticsFunnelRoute = {
  doc: {
    method: "get",
    path: "/analytics/funnel",
    operationId: "getAnalyticsFunnel",
    tag: "Analytics",
    summary: "Funnel per campaign",
    description: `The analytics page's funnel: per campaign, its totals and each step's A/B variants, with the winning variant when the test says so. ${RANGE_DESCRIPTION}`,
    status: 200,
    response: ZAnalyticsFunnel,
  },
  access: "read",
  permission: "analytics.read",
  query: ZAnalyticsQuery,
  handler: async (context, { query }) => {
    const { range, notices, campaigns } = await summaryOf(context, query);
    return { body: { data: { range, notices, campaigns } } };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, typeof ZAnalyticsQuery, z.ZodUndefined, z.input<typeof ZAnalyticsFunnel>>;
