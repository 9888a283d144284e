import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaignEnrollments, campaigns, leads, suppressions } from "@/db/schema";
import { EXCLUSION_REASONS, type ExclusionReason, type StoredAudience } from "@/lib/campaigns/types";
import { audienceLeadsCondition } from "./audience-condition";

export type AudienceScope = {
  workspaceId: string;
  /** Who "me" is in an owner filter of the stored query. */
  userId: string;
  audience: StoredAudience | null;
  /** The campaign being checked: its own enrollments do not make a lead "active elsewhere". */
  campaignId?: string | null;
};

export type AudienceCounts = {
  /** Leads the rule selects. */
  matched: number;
  /** Of those, the leads the campaign may email. */
  eligible: number;
  /** The others, each under the first reason that applies (EXCLUSION_REASONS' order). */
  excluded: Record<ExclusionReason, number>;
};

const REASONS = Object.keys(EXCLUSION_REASONS) as ExclusionReason[];

/**
 * Each lead of the audience with the first reason it is left out (null: eligible). Set-based so
 * it stays one pass over the audience at a million leads: the workspace's suppressions and the
 * leads active in other running or paused campaigns are each read once and hash-joined, rather
 * than looked up lead by lead (plain subqueries, not a CTE read twice: for a few picked leads the
 * planner may instead probe the suppressions' unique index, and a superuser's bench may go
 * parallel). An address appears once per kind in suppressions (unique key), so
 * the joins never repeat a lead.
 *
 * An address suppressed because it unsubscribed or bounced counts under that reason, before the
 * generic "suppressed" (the unsubscribe and bounce paths record both).
 */
export function classifiedAudienceQuery(
  scope: AudienceScope & { audience: StoredAudience },
  /** More of each lead's values to carry along, by name (expressions on `leads`). */
  extra: Record<string, SQL> = {},
  /**
   * Only the next `size` leads of the audience in id order (after the lead `after`), each
   * classified: a launch's batch. Each lead's suppressions and enrollments elsewhere are then
   * looked up by its own keys (a LATERAL probe each, which the planner cannot turn into a join
   * reading the whole set), so a batch costs the same however far the launch has got: read whole,
   * the workspace's active enrollments (the launch's own among them) grew with every batch.
   */
  page?: { after: string | null; size: number },
): SQL {
  const { workspaceId, campaignId } = scope;
  const extraNames = Object.keys(extra);
  const extraInner = sql.join(
    extraNames.map((name) => sql`, ${extra[name]} as ${sql.identifier(name)}`),
    sql``,
  );
  const extraOuter = sql.join(
    extraNames.map((name) => sql`, a.${sql.identifier(name)}`),
    sql``,
  );
  const otherCampaign = campaignId ? sql` and c.id <> ${campaignId}::uuid` : sql``;
  const suppressedEmail = sql`select s.value, s.reason from ${suppressions} s where s.workspace_id = ${workspaceId} and s.kind = 'email'`;
  const suppressedDomain = sql`select s.value from ${suppressions} s where s.workspace_id = ${workspaceId} and s.kind = 'domain'`;
  const otherCampaigns = sql`select c.id from ${campaigns} c
    where c.workspace_id = ${workspaceId} and c.status in ('running', 'paused')${otherCampaign}`;
  // LIMIT 1 keeps each probe a subquery of its own (one row at most: the suppressions' key is
  // unique, and one enrollment elsewhere is enough); the other campaigns are listed once.
  const joins = page
    ? sql`
    left join lateral (${suppressedEmail} and s.value = lower(a.email) limit 1) se on true
    left join lateral (${suppressedDomain} and s.value = lower(split_part(a.email, '@', 2)) limit 1) sd on true
    left join lateral (select e.lead_id from ${campaignEnrollments} e
      where e.workspace_id = ${workspaceId} and e.lead_id = a.id and e.status = 'active'
        and e.campaign_id = any(array(${otherCampaigns})) limit 1) ae on true`
    : sql`
    left join (${suppressedEmail}) se on se.value = lower(a.email)
    left join (${suppressedDomain}) sd on sd.value = lower(split_part(a.email, '@', 2))
    left join active_elsewhere ae on ae.lead_id = a.id`;
  const activeElsewhere = page
    ? sql``
    : sql`,
    active_elsewhere as (
      select distinct e.lead_id from ${campaignEnrollments} e
      join ${campaigns} c on c.id = e.campaign_id and c.workspace_id = e.workspace_id
      where e.workspace_id = ${workspaceId} and e.status = 'active' and c.status in ('running', 'paused')${otherCampaign}
    )`;
  return sql`
    with audience as ${page ? sql`materialized ` : sql``}(
      select ${leads.id} as id, ${leads.email} as email, ${leads.emailStatus} as email_status, ${leads.status} as status${extraInner}
      from ${leads} where ${audienceLeadsCondition(scope.audience, scope)}${page?.after ? sql` and ${leads.id} > ${page.after}::uuid` : sql``}
      ${page ? sql`order by ${leads.id} limit ${page.size}` : sql``}
    )${activeElsewhere}
    select a.id, case
        when a.email is null then 'no_email'
        when a.email_status = 'invalid' then 'email_invalid'
        when a.status = 'unsubscribed' or se.reason = 'unsubscribe' then 'unsubscribed'
        when a.status = 'bounced' or se.reason = 'bounce' then 'bounced'
        when a.status = 'replied' then 'replied'
        when se.value is not null or sd.value is not null then 'suppressed'
        when ae.lead_id is not null then 'active_elsewhere'
      end as reason${extraOuter}
    from audience a${joins}`;
}

export type AudiencePage<Extra extends Record<string, unknown>> = {
  /** The page's leads the campaign may email, in id order, with the extra values asked for. */
  eligible: ({ id: string } & Extra)[];
  /** The page's last lead, left out or not (where the next page starts); null when the page was empty. */
  last: string | null;
  /** Whether the page was full, so that more of the audience may follow `last`. */
  full: boolean;
};

/**
 * The next `size` leads of the audience after the lead `after`, in id order, each classified
 * (classifiedAudienceQuery's paged form): a launch's batch and an Instantly push's. A page of the
 * audience rather than `size` eligible leads, so that what a batch reads does not grow with the
 * launch; a page can hold no eligible lead at all and still move the cursor on.
 */
export async function readAudiencePage<Extra extends Record<string, unknown> = Record<never, never>>(
  db: Executor,
  scope: AudienceScope & { audience: StoredAudience },
  page: { after: string | null; size: number },
  /** More of each lead's values to return, by name (expressions on `leads`). */
  extra: Record<keyof Extra & string, SQL> = {} as Record<keyof Extra & string, SQL>,
): Promise<AudiencePage<Extra>> {
  type Row = { id: string; reason: string | null } & Extra;
  const rows = (await db.execute(sql`
    select * from (${classifiedAudienceQuery(scope, extra, page)}) classified
    order by id`)) as unknown as Row[];
  return {
    eligible: rows.filter((lead) => lead.reason === null),
    last: rows.length > 0 ? rows[rows.length - 1]!.id : null,
    full: rows.length >= page.size,
  };
}

/**
 * The counting query of resolveAudience; exported for the EXPLAIN test and the benchmark.
 * `emptyOf`: values (expressions on `leads`, null when empty) whose empty count among the
 * eligible leads is counted in the same pass, as `empty_<name>`.
 */
export function audienceCountsQuery(scope: AudienceScope & { audience: StoredAudience }, emptyOf: Record<string, SQL> = {}): SQL {
  const perReason = REASONS.map((r) => sql`count(*) filter (where reason = ${r})::int as ${sql.identifier(r)}`);
  const perEmpty = Object.keys(emptyOf).map(
    (name) => sql`, count(*) filter (where reason is null and ${sql.identifier(name)} is null)::int as ${sql.identifier(`empty_${name}`)}`,
  );
  return sql`
    select count(*)::int as matched, count(*) filter (where reason is null)::int as eligible, ${sql.join(perReason, sql`, `)}${sql.join(perEmpty, sql``)}
    from (${classifiedAudienceQuery(scope, emptyOf)}) classified`;
}

/**
 * How many leads an audience rule selects, how many the campaign may email and why the others
 * are left out: one query, in the caller's RLS-scoped transaction. No rule yet: all zero.
 */
export async function resolveAudience(tx: Executor, scope: AudienceScope): Promise<AudienceCounts> {
  return (await countAudience(tx, scope)).counts;
}

/**
 * resolveAudience, and in the same pass how many eligible leads have each of `emptyOf`'s values
 * empty (pre-flight's "variable empty for N leads"): a million leads are read once, not twice.
 */
export async function countAudience(
  tx: Executor,
  scope: AudienceScope,
  emptyOf: Record<string, SQL> = {},
): Promise<{ counts: AudienceCounts; empty: Record<string, number> }> {
  const excluded = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
  const empty = Object.fromEntries(Object.keys(emptyOf).map((name) => [name, 0]));
  if (!scope.audience) return { counts: { matched: 0, eligible: 0, excluded }, empty };
  const [row] = await tx.execute<Record<string, number>>(audienceCountsQuery({ ...scope, audience: scope.audience }, emptyOf));
  for (const r of REASONS) excluded[r] = Number(row?.[r] ?? 0);
  for (const name of Object.keys(emptyOf)) empty[name] = Number(row?.[`empty_${name}`] ?? 0);
  return { counts: { matched: Number(row?.matched ?? 0), eligible: Number(row?.eligible ?? 0), excluded }, empty };
}

/** Up to `size` eligible leads of the audience picked at random (the review screen's samples). */
export async function sampleEligibleLeadIds(tx: Executor, scope: AudienceScope & { size: number }): Promise<string[]> {
  if (!scope.audience || scope.size <= 0) return [];
  const rows = await tx.execute<{ id: string }>(sql`
    select id from (${classifiedAudienceQuery({ ...scope, audience: scope.audience })}) classified
    where reason is null order by random() limit ${scope.size}`);
  return rows.map((r) => r.id);
}
