import "server-only";
import { eq } from "drizzle-orm";
import { withUserTx, type Executor, type JwtClaims } from "@/db";
import { workspaces } from "@/db/schema";
import { LEAD_SOURCES } from "@/db/schema/lead-enums";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { forbidden } from "@/lib/errors";
import { queryCampaignOptions, queryIdentityUsage, queryInstantlyDays, queryMemberNames, type InstantlyDay } from "./dimension-queries";
import { queryLeadsByOwner, queryLeadsCreatedBySource, queryPipeline, type PipelinePoint } from "./lead-queries";
import { queryDailySeries, queryFunnel, queryStagesBy, type AnalyticsQuery, type DailyPoint, type FunnelRow } from "./message-queries";
import { granularityOf, periodStartsOf, type Granularity } from "./periods";
import { parseAnalyticsRange, type AnalyticsRange } from "./range";
import { querySampleData, type SampleDataInFigures } from "./sample-data";
import { pickWinningVariant, type VariantVerdict } from "./significance";

export type AnalyticsActor = { claims: JwtClaims; workspaceId: string; role: WorkspaceRole };
type Params = Record<string, string | string[] | undefined>;

export type StepVerdict = { campaignId: string; stepPosition: number; verdict: VariantVerdict };
export type RepRow = {
  ownerId: string | null;
  name: string;
  owned: number;
  contacted: number;
  sent: number;
  replied: number;
  meetings: number;
  won: number;
};
export type IdentityRow = {
  identityId: string | null;
  label: string;
  dailyCap: number | null;
  peakDay: number;
  daysAtCap: number;
  sent: number;
  bounced: number;
  complained: number;
};
export type SourceRow = { source: string; leadsCreated: number; sent: number; replied: number };

export type AnalyticsReport = {
  range: AnalyticsRange;
  /** What a point of `daily` and `pipeline` is: a day, a week or a month of the viewer's zone (lib/analytics/periods.ts). */
  granularity: Granularity;
  funnel: FunnelRow[];
  verdicts: StepVerdict[];
  daily: DailyPoint[];
  pipeline: PipelinePoint[];
  reps: RepRow[];
  identities: IdentityRow[];
  sources: SourceRow[];
  instantly: InstantlyDay[];
  /** How much of these figures a vendor's sandbox made (lib/analytics/sample-data.ts). */
  sampleData: SampleDataInFigures;
  options: {
    campaigns: { id: string; name: string }[];
    owners: { id: string; name: string }[];
    identities: { id: string; label: string }[];
  };
};

/** The range and filters a request asks for, corrected (the workspace's zone when the viewer sent none). */
export async function resolveAnalyticsRange(tx: Executor, workspaceId: string, params: Params): Promise<AnalyticsRange> {
  const [ws] = await tx.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return parseAnalyticsRange(params, ws?.timeZone ?? "UTC");
}

/**
 * Everything the analytics page shows, read from the rollups as the user (RLS applies: only
 * the roles with analytics.read see any rollup row). Checked here too, with a message.
 * The range is read first (it may need the workspace's zone); the report's independent
 * queries then run in a few transactions at once, each on its own pooled connection
 * (readReportParts), so the page waits for the slowest group rather than for their sum.
 */
export async function getAnalytics(actor: AnalyticsActor, params: Params): Promise<AnalyticsReport> {
  if (!can(actor.role, "analytics.read")) throw forbidden("Your role cannot see analytics. Ask an admin for the analyst role or above.");
  const range = await withUserTx(actor.claims, (tx) => resolveAnalyticsRange(tx, actor.workspaceId, params));
  const q = { ...range, workspaceId: actor.workspaceId };
  return assembleReport(q, await readReportParts((work) => withUserTx(actor.claims, work), q));
}

/** The report for one workspace and range, in the caller's transaction (a user's, so RLS applies); its queries pipelined. */
export async function buildAnalyticsReport(tx: Executor, q: AnalyticsQuery): Promise<AnalyticsReport> {
  return assembleReport(q, await readReportParts((work) => work(tx), q));
}

type Read = <T>(work: (tx: Executor) => Promise<T>) => Promise<T>;

/**
 * The report's queries in five groups, started together: `read` runs each group in a
 * transaction (the same one for buildAnalyticsReport, one each for getAnalytics: five of the
 * pool's connections for the time of the slowest). Inside a group the queries are pipelined on
 * its connection. The heavy ones (the funnel, the daily series, the three breakdowns, the
 * pipeline) are spread so that no group holds two of the slowest.
 */
async function readReportParts(read: Read, q: AnalyticsQuery) {
  const starts = periodStartsOf(q);
  const [
    funnel,
    daily,
    [pipeline, leadsByOwner, created],
    [byOwner, byIdentity, bySource],
    [usage, instantly, names, campaigns, sampleData],
  ] = await Promise.all([
    read((tx) => queryFunnel(tx, q)),
    read((tx) => queryDailySeries(tx, q, starts)),
    read((tx) => Promise.all([queryPipeline(tx, q, starts), queryLeadsByOwner(tx, q), queryLeadsCreatedBySource(tx, q)])),
    read((tx) => Promise.all([queryStagesBy(tx, q, "owner_id"), queryStagesBy(tx, q, "identity_id"), queryStagesBy(tx, q, "source")])),
    read((tx) =>
      Promise.all([
        queryIdentityUsage(tx, q),
        queryInstantlyDays(tx, q),
        queryMemberNames(tx, q),
        queryCampaignOptions(tx, q),
        querySampleData(tx, q),
      ]),
    ),
  ]);
  return { funnel, daily, pipeline, leadsByOwner, created, byOwner, byIdentity, bySource, usage, instantly, names, campaigns, sampleData };
}

function assembleReport(q: AnalyticsQuery, parts: Awaited<ReturnType<typeof readReportParts>>): AnalyticsReport {
  const { funnel, daily, pipeline, leadsByOwner, created, byOwner, byIdentity, bySource, usage, instantly, names, campaigns, sampleData } =
    parts;
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? "Former member") : "Unassigned");
  const repIds = new Set<string | null>([...byOwner.map((r) => r.key), ...leadsByOwner.filter((r) => r.owned !== 0).map((r) => r.ownerId)]);
  const reps: RepRow[] = [...repIds].map((id) => {
    const m = byOwner.find((r) => r.key === id);
    const l = leadsByOwner.find((r) => r.ownerId === id);
    return {
      ownerId: id,
      name: nameOf(id),
      owned: l?.owned ?? 0,
      contacted: m?.firstStep ?? 0,
      sent: m?.sent ?? 0,
      replied: m?.replied ?? 0,
      meetings: m?.meeting ?? 0,
      won: l?.won ?? 0,
    };
  });
  reps.sort((a, b) => b.owned - a.owned || a.name.localeCompare(b.name));

  const identityIds = new Set<string | null>([...usage.map((u) => u.identityId), ...byIdentity.map((r) => r.key)]);
  const identities: IdentityRow[] = [...identityIds]
    .filter((id) => !q.filters.identityId || id === q.filters.identityId)
    .map((id) => {
      const u = usage.find((x) => x.identityId === id);
      const m = byIdentity.find((r) => r.key === id);
      return {
        identityId: id,
        label: u?.label ?? "Removed mailbox",
        dailyCap: u?.dailyCap ?? null,
        peakDay: u?.peakDay ?? 0,
        daysAtCap: u?.daysAtCap ?? 0,
        sent: m?.sent ?? 0,
        bounced: m?.bounced ?? 0,
        complained: m?.complained ?? 0,
      };
    });

  const sources: SourceRow[] = LEAD_SOURCES.filter((s) => !q.filters.source || s === q.filters.source).map((source) => {
    const m = bySource.find((r) => r.key === source);
    return { source, leadsCreated: created.find((c) => c.source === source)?.created ?? 0, sent: m?.sent ?? 0, replied: m?.replied ?? 0 };
  });

  const steps = new Map<string, FunnelRow[]>();
  for (const row of funnel) {
    const key = `${row.campaignId}|${row.stepPosition}`;
    steps.set(key, [...(steps.get(key) ?? []), row]);
  }
  const verdicts: StepVerdict[] = [...steps.values()].map((rows) => ({
    campaignId: rows[0]!.campaignId,
    stepPosition: rows[0]!.stepPosition,
    verdict: pickWinningVariant(rows.map((r) => ({ label: r.variantLabel, sent: r.sent, replied: r.replied }))),
  }));

  const { workspaceId: _ws, ...range } = q;
  return {
    range,
    granularity: granularityOf(q),
    funnel,
    verdicts,
    daily,
    pipeline,
    reps,
    identities,
    sources,
    instantly,
    sampleData,
    options: {
      campaigns,
      owners: [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
      identities: usage.map((u) => ({ id: u.identityId, label: u.label })),
    },
  };
}
