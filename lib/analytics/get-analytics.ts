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
import { daysOf, parseAnalyticsRange, type AnalyticsRange } from "./range";
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
  funnel: FunnelRow[];
  verdicts: StepVerdict[];
  daily: DailyPoint[];
  pipeline: PipelinePoint[];
  reps: RepRow[];
  identities: IdentityRow[];
  sources: SourceRow[];
  instantly: InstantlyDay[];
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
 */
export async function getAnalytics(actor: AnalyticsActor, params: Params): Promise<AnalyticsReport> {
  if (!can(actor.role, "analytics.read")) throw forbidden("Your role cannot see analytics. Ask an admin for the analyst role or above.");
  return withUserTx(actor.claims, async (tx) => {
    const range = await resolveAnalyticsRange(tx, actor.workspaceId, params);
    return buildAnalyticsReport(tx, { ...range, workspaceId: actor.workspaceId });
  });
}

/** The report for one workspace and range, in the caller's transaction (a user's, so RLS applies). */
export async function buildAnalyticsReport(tx: Executor, q: AnalyticsQuery): Promise<AnalyticsReport> {
  const days = daysOf(q);
  const funnel = await queryFunnel(tx, q);
  const daily = await queryDailySeries(tx, q, days);
  const pipeline = await queryPipeline(tx, q, days);
  const byOwner = await queryStagesBy(tx, q, "owner_id");
  const leadsByOwner = await queryLeadsByOwner(tx, q);
  const byIdentity = await queryStagesBy(tx, q, "identity_id");
  const usage = await queryIdentityUsage(tx, q);
  const bySource = await queryStagesBy(tx, q, "source");
  const created = await queryLeadsCreatedBySource(tx, q);
  const instantly = await queryInstantlyDays(tx, q);
  const names = await queryMemberNames(tx, q);
  const campaigns = await queryCampaignOptions(tx, q);

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
    funnel,
    verdicts,
    daily,
    pipeline,
    reps,
    identities,
    sources,
    instantly,
    options: {
      campaigns,
      owners: [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
      identities: usage.map((u) => ({ id: u.identityId, label: u.label })),
    },
  };
}
