import type { LeadListState } from "@/lib/leads/list-state";

/**
 * The table requests `npm run bench:leads` times: each as the state the page would pass to
 * listLeads, and the same question as hand-written SQL for the superuser (the floor): the
 * WHERE after the workspace and live-lead conditions, and the ORDER BY.
 */
export type BenchRequest = {
  name: string;
  kind: "list" | "search" | "deep" | "count";
  state: Partial<LeadListState>;
  floor: { where: string; order: string };
  /** The deep pages start after the row at this 0-based position of the request's order, whose sort key is `key`. */
  deep?: { offset: number; key: string };
};

const CREATED_DESC = "l.created_at desc, l.id desc";

export function benchRequests(ctx: { repId: string; recentDay: string; weekAgo: string; today: string }): BenchRequest[] {
  const r = (name: string, state: Partial<LeadListState>, where: string, order = CREATED_DESC): BenchRequest => ({
    name,
    kind: "list",
    state,
    floor: { where, order },
  });
  const search = (name: string, q: string, where: string): BenchRequest => ({
    name,
    kind: "search",
    state: { q },
    floor: { where, order: CREATED_DESC },
  });
  return [
    r("default sort (newest first)", {}, "true"),
    r("sort by score (highest first)", { sort: "score", dir: "desc" }, "true", "l.score desc, l.id desc"),
    r("sort by last activity (latest first)", { sort: "lastActivity", dir: "desc" }, "true", "l.sort_last_activity desc, l.id desc"),
    r("sort by company (A to Z)", { sort: "company", dir: "asc" }, "true", "l.sort_company asc, l.id asc"),
    r("sort by name (A to Z)", { sort: "name", dir: "asc" }, "true", "l.sort_name asc, l.id asc"),
    r("sort by owner (A to Z)", { sort: "owner", dir: "asc" }, "true", "owner"),
    r("filter status = interested", { status: ["interested"] }, "l.status = 'interested'"),
    r("filter owner = me", { owner: ["me"] }, `l.owner_id = '${ctx.repId}'`),
    r("filter owner = unassigned", { owner: ["unassigned"] }, "l.owner_id is null"),
    r("filter source = apollo", { source: ["apollo"] }, "l.source = 'apollo'"),
    r("filter tag any of [conference-berlin]", { tags: ["conference-berlin"] }, "l.tags && array['conference-berlin']"),
    r("filter tags all of [vip, fintech]", { tags: ["vip", "fintech"], tagMode: "all" }, "l.tags @> array['vip','fintech']"),
    r("filter score 90–100", { scoreMin: 90, scoreMax: 100 }, "l.score between 90 and 100"),
    r("filter has no email", { hasEmail: false }, "l.email is null"),
    r("filter email status = invalid", { emailStatus: ["invalid"] }, "l.email_status = 'invalid'"),
    r(
      "filter company size 200–1,000",
      { sizeMin: 200, sizeMax: 1000 },
      "l.company_id in (select c.id from companies c where c.workspace_id = l.workspace_id and c.employee_count between 200 and 1000)",
    ),
    r(
      "filter industry = Fintech",
      { industry: ["Fintech"] },
      "l.company_id in (select c.id from companies c where c.workspace_id = l.workspace_id and c.industry_key = 'fintech')",
    ),
    r("filter country = Germany", { country: ["Germany"] }, "l.country_key = 'germany'"),
    r("filter country = Iceland (rare)", { country: ["Iceland"] }, "l.country_key = 'iceland'"),
    r(
      "filter created in the last 30 days",
      { createdFrom: ctx.recentDay, tz: "UTC" },
      `l.created_at >= '${ctx.recentDay}'::date::timestamp at time zone 'UTC'`,
    ),
    r(
      "filter last activity in the last 7 days",
      { activityFrom: ctx.weekAgo, activityTo: ctx.today, tz: "UTC" },
      `l.last_activity_at >= '${ctx.weekAgo}'::date::timestamp at time zone 'UTC' and l.last_activity_at < ('${ctx.today}'::date + 1)::timestamp at time zone 'UTC'`,
    ),
    r(
      "combined: my open leads with email, score ≥ 50",
      { owner: ["me"], status: ["new", "contacted", "replied"], hasEmail: true, scoreMin: 50 },
      `l.owner_id = '${ctx.repId}' and l.status in ('new','contacted','replied') and l.email is not null and l.score >= 50`,
    ),
    r(
      "combined: Fintech in Germany, interested or meeting, by score",
      { industry: ["Fintech"], country: ["Germany"], status: ["interested", "meeting"], sort: "score", dir: "desc" },
      // The status by its rank, as the service asks it: the index on (country, sort_status) serves it.
      "l.country_key = 'germany' and l.sort_status in (3, 4) and l.company_id in (select c.id from companies c where c.workspace_id = l.workspace_id and c.industry_key = 'fintech')",
      "l.score desc, l.id desc",
    ),
    // The search text is unaccented (migration 0021), and so are the words: "martín" looks for "martin".
    search('search a name ("martín núñez")', "martín núñez", "l.search_text like '%martin%' and l.search_text like '%nunez%'"),
    search(
      'search a company ("granite robotics")',
      "granite robotics",
      "l.search_text like '%granite%' and l.search_text like '%robotics%'",
    ),
    search('search an email fragment ("okafor12")', "okafor12", "l.search_text like '%okafor12%'"),
    search('search a common fragment ("son")', "son", "l.search_text like '%son%'"),
    {
      name: "deep page: the 2,000th page, newest first",
      kind: "deep",
      state: {},
      floor: { where: "true", order: CREATED_DESC },
      deep: { offset: 1999 * 50 - 1, key: "l.created_at" },
    },
    {
      name: "deep page: the 2,000th page by company",
      kind: "deep",
      state: { sort: "company", dir: "asc" },
      floor: { where: "true", order: "l.sort_company asc, l.id asc" },
      deep: { offset: 1999 * 50 - 1, key: "l.sort_company" },
    },
  ];
}
