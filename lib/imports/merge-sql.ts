import type { MatchRule } from "./types";

/**
 * The set-based statements of one import batch (run-import-batch.ts), over the staging table
 * `import_stage` (stage-rows.ts), with the parameters each one lists ($1 is the workspace where
 * it reads leads). Every statement touching leads or companies names the workspace: the job
 * runs on the service connection, so the scope is ours to keep.
 *
 * `outcome` moves from null (a mapped row) through `insert` / `update` to `inserted` /
 * `updated`, or to `skipped` / `failed` with a reason; mapRow's failures arrive already set.
 */

/** Identity keys of the batch's mapped rows (email, Apollo id, LinkedIn URL), to find duplicates among them. */
export const STAGE_KEYS_SQL = `create temp table import_stage_keys on commit drop as
  select rn, 'e:' || email_key as key from import_stage where outcome is null and email_key is not null
  union all select rn, 'a:' || apollo_id from import_stage where outcome is null and apollo_id is not null
  union all select rn, 'l:' || linkedin_url from import_stage where outcome is null and linkedin_url is not null`;

/**
 * Same lead as an earlier row of this batch: a key (email, Apollo id, LinkedIn URL) seen in an
 * earlier row. The first row wins. Earlier batches are caught once rows have found their
 * lead (MARK_LEAD_DUPLICATES_SQL).
 */
export const MARK_KEY_DUPLICATES_SQL = `update import_stage s set outcome = 'skipped', reason = 'duplicate_in_file'
  where s.rn in (
    select k.rn from import_stage_keys k
    join (select key, min(rn) as first_rn from import_stage_keys group by key) f on f.key = k.key
    where k.rn > f.first_rn)`;

/** Existing leads of this workspace by each identity (deleted ones too: they keep their address). */
export const MATCH_SQL = `update import_stage s set
    match_email = (select l.id from public.leads l
      where l.workspace_id = $1 and lower(l.email) = s.email_key and l.email is not null),
    match_apollo = (select l.id from public.leads l
      where l.workspace_id = $1 and l.apollo_person_id = s.apollo_id),
    match_linkedin = (select l.id from public.leads l
      where l.workspace_id = $1 and l.linkedin_url = s.linkedin_url)
  where s.outcome is null`;

/** Email first, then Apollo id, then LinkedIn URL. */
export const CHOOSE_LEAD_SQL = `update import_stage set lead_id = coalesce(match_email, match_apollo, match_linkedin)
  where outcome is null and coalesce(match_email, match_apollo, match_linkedin) is not null`;

/**
 * Rows reaching a lead an earlier row of the file reached: one in an earlier batch
 * (`i:<lead id>` keys of import $1: it inserted, updated or skipped that lead), or an earlier
 * row of this batch through another identity (email in one, LinkedIn URL in the other).
 */
export const MARK_LEAD_DUPLICATES_SQL = `update import_stage s set outcome = 'skipped', reason = 'duplicate_in_file'
  where s.rn in (
    select c.rn from (
      select rn, lead_id, row_number() over (partition by lead_id order by rn) as nth
      from import_stage where outcome is null and lead_id is not null
    ) c
    where c.nth > 1 or exists (select 1 from public.lead_import_keys x where x.import_id = $1 and x.key = 'i:' || c.lead_id))`;

/** $2 match rule, $3 the requester when they may only write their own or unassigned leads (sales reps). */
export const CLASSIFY_SQL = `update import_stage s set
    outcome = case
      when l.deleted_at is not null then 'skipped'
      when $2 = 'skip' then 'skipped'
      when $3::uuid is not null and l.owner_id is not null and l.owner_id <> $3::uuid then 'skipped'
      else 'update' end,
    reason = case
      when l.deleted_at is not null then 'deleted_lead'
      when $2 = 'skip' then 'exists_skip_rule'
      when $3::uuid is not null and l.owner_id is not null and l.owner_id <> $3::uuid then 'not_permitted'
      else null end
  from public.leads l
  where s.outcome is null and s.lead_id is not null and l.workspace_id = $1 and l.id = s.lead_id`;

/**
 * New leads' ids made here, as leads' own default makes them (db/schema/_time-ordered-id.ts), in
 * the file's order: a volatile output is computed after the ORDER BY, and the ids one session
 * makes increase, so the leads of a file sort by id as they stood in it.
 */
export const MARK_INSERTS_SQL = `update import_stage s set outcome = 'insert', lead_id = n.id
  from (select rn, uuidv7() as id from import_stage where outcome is null order by rn) n
  where s.rn = n.rn`;

/** Every lead the batch's rows reached (to be inserted, updated or skipped), for the batches after it. */
export const REMEMBER_LEADS_SQL = `insert into public.lead_import_keys (import_id, workspace_id, key)
  select $2::uuid, $1::uuid, 'i:' || lead_id from import_stage where lead_id is not null
  on conflict do nothing`;

/**
 * Companies by domain for the rows that will use one: new leads, and matched leads the rule
 * lets link (overwrite; fill_empty only without a company). Created when missing (named by
 * the file, else by the domain), existing ones linked as they are. $2 match rule; $3 whether the
 * import came from a vendor's sandbox (then the companies it creates are sample data). Returns
 * the number created.
 */
export const COMPANIES_SQL = `with by_domain as (
    select distinct on (s.company_domain) s.company_domain as domain, s.company_name, s.company_website, s.company_linkedin_url,
      s.company_industry, s.company_employee_count, s.company_annual_revenue, s.company_city, s.company_country,
      s.company_description, s.apollo_organization_id
    from import_stage s
    where s.company_domain is not null and (s.outcome = 'insert' or (s.outcome = 'update' and ($2 = 'overwrite'
      or exists (select 1 from public.leads l where l.workspace_id = $1 and l.id = s.lead_id and l.company_id is null))))
    order by s.company_domain, (s.company_name is null), s.rn
  ), wanted as (
    -- An Apollo id is unique per workspace: only the first domain of the batch carrying it keeps it.
    select d.*, row_number() over (partition by d.apollo_organization_id order by d.domain) as apollo_rank from by_domain d
  ), created as (
    insert into public.companies (workspace_id, name, domain, website, linkedin_url, industry, employee_count,
      annual_revenue, city, country, description, apollo_organization_id, sample_data)
    select $1, coalesce(w.company_name, w.domain), w.domain, w.company_website, w.company_linkedin_url, w.company_industry,
      w.company_employee_count, w.company_annual_revenue, w.company_city, w.company_country, w.company_description,
      -- Another company of the workspace may already hold the Apollo id: the domain decides.
      case when w.apollo_rank > 1 or exists (select 1 from public.companies o
        where o.workspace_id = $1 and o.apollo_organization_id = w.apollo_organization_id) then null else w.apollo_organization_id end,
      $3::boolean
    from wanted w
    order by w.domain
    on conflict (workspace_id, domain) where domain is not null do nothing
    returning 1
  )
  select count(*)::int as created from created`;

/**
 * The companies' lead counts after INSERT_LEADS_SQL, which the leads' insert trigger leaves to
 * this batch (migration 0079): the leads inserted per company, the batch's new companies among
 * them (their count rows, made by the companies' insert trigger, start at 0). Rows locked in
 * company id order, as the trigger does, each found by its key from the batch's companies
 * (the workspace's already: the batch linked them by workspace). Not by `= any (array)`: a
 * nested loop repeated that test of the whole array for every row, 8,000 × 8,000 comparisons,
 * 1.3 s of a batch, where each look-up of one key takes microseconds (auto_explain).
 */
export const COUNT_COMPANY_LEADS_SQL = `with inserted as materialized (
    select company_id as id, count(*)::int as n from import_stage
    where outcome = 'inserted' and company_id is not null group by company_id
  ), locked as materialized (
    select k.company_id, i.n from public.company_lead_counts k join inserted i on i.id = k.company_id
    order by k.company_id for update of k
  )
  update public.company_lead_counts k set lead_count = k.lead_count + l.n
  from locked l
  where k.company_id = l.company_id`;

/** Company fields a file may carry, as company column → staging column. */
const COMPANY_FIELDS: [company: string, stage: string][] = [
  ["website", "company_website"],
  ["linkedin_url", "company_linkedin_url"],
  ["industry", "company_industry"],
  ["employee_count", "company_employee_count"],
  ["annual_revenue", "company_annual_revenue"],
  ["city", "company_city"],
  ["country", "company_country"],
  ["description", "company_description"],
];

/**
 * Existing companies reached by domain from rows whose lead is written, changed as the
 * import's rule changes matched leads: fill_empty fills blank fields (and the name of a
 * company named after its domain alone, as a domain-only import leaves it), overwrite takes
 * the file's values where it has them. Not run under "skip", which leaves existing records
 * alone. An Apollo organization id another company holds is not taken. Only companies whose
 * values change are written (the ones this batch created match their row already). $1 workspace.
 */
export function updateCompaniesSql(rule: Exclude<MatchRule, "skip">): string {
  const field = (company: string, stage: string) =>
    rule === "overwrite"
      ? `coalesce(d.${stage}, c.${company})`
      : `case when coalesce(c.${company}::text, '') = '' then coalesce(d.${stage}, c.${company}) else c.${company} end`;
  const name =
    rule === "overwrite"
      ? "coalesce(d.company_name, c.name)"
      : "case when c.name = c.domain then coalesce(d.company_name, c.name) else c.name end";
  const apollo = `case when d.apollo_organization_id is not null and d.apollo_rank = 1
      and (${rule === "overwrite" ? "true" : "c.apollo_organization_id is null"})
      and not exists (select 1 from public.companies o
        where o.workspace_id = $1 and o.apollo_organization_id = d.apollo_organization_id and o.id <> c.id)
    then d.apollo_organization_id else c.apollo_organization_id end`;
  const columns = ["name", ...COMPANY_FIELDS.map(([company]) => company), "apollo_organization_id"];
  const values = [name, ...COMPANY_FIELDS.map(([company, stage]) => field(company, stage)), apollo];
  return `with by_domain as (
      select distinct on (s.company_domain) s.company_domain as domain, s.company_name, ${COMPANY_FIELDS.map(([, stage]) => `s.${stage}`).join(", ")},
        s.apollo_organization_id
      from import_stage s
      where s.company_domain is not null and s.outcome in ('insert', 'update')
      order by s.company_domain, (s.company_name is null), s.rn
    ), ranked as (
      select d.*, row_number() over (partition by d.apollo_organization_id order by d.domain) as apollo_rank from by_domain d
    ), target as (
      select c.id, ${values.map((value, i) => `${value} as ${columns[i]}`).join(",\n        ")}
      from ranked d join public.companies c on c.workspace_id = $1 and c.domain = d.domain
    )
    update public.companies c set ${columns.map((n) => `${n} = t.${n}`).join(", ")}, updated_at = now()
    from target t
    where c.workspace_id = $1 and c.id = t.id
      and (${columns.map((n) => `c.${n}`).join(", ")}) is distinct from (${columns.map((n) => `t.${n}`).join(", ")})`;
}

/**
 * Rows naming a company without a domain (a free-mail address and no website, a LinkedIn
 * export): linked to a company of the workspace with exactly that name, else one is created
 * with the name alone. $2 match rule; $3 whether the import came from a vendor's sandbox.
 * Returns the number created.
 */
export const NAMED_COMPANIES_SQL = `with wanted as (
    select distinct s.company_name as name
    from import_stage s
    where s.company_domain is null and s.company_name is not null and (s.outcome = 'insert' or (s.outcome = 'update' and ($2 = 'overwrite'
      or exists (select 1 from public.leads l where l.workspace_id = $1 and l.id = s.lead_id and l.company_id is null))))
  ), created as (
    insert into public.companies (workspace_id, name, sample_data)
    select $1, w.name, $3::boolean from wanted w
    where not exists (select 1 from public.companies c where c.workspace_id = $1 and c.name = w.name)
    order by w.name
    returning id
  )
  select count(*)::int as created from created`;

/**
 * The company of each name, looked up once per name (rows of a LinkedIn export repeat names,
 * and a workspace may hold many companies of one name, each look-up sorting them all).
 */
export const LINK_NAMED_COMPANIES_SQL = `with named as materialized (
    select w.name, (select c.id from public.companies c where c.workspace_id = $1 and c.name = w.name
      order by c.created_at, c.id limit 1) as id
    from (select distinct company_name as name from import_stage
      where outcome in ('insert', 'update') and company_domain is null and company_name is not null) w
  )
  update import_stage s set company_id = n.id
  from named n
  where s.outcome in ('insert', 'update') and s.company_domain is null and s.company_name = n.name`;

export const LINK_COMPANIES_SQL = `update import_stage s set company_id = c.id
  from public.companies c
  where s.outcome in ('insert', 'update') and s.company_domain is not null and c.workspace_id = $1 and c.domain = s.company_domain`;

/**
 * The lead's tags, the file's and the import's, each once whatever its case with its first
 * spelling (the lead's own first), in that order, at most 50 (the leads CHECKs).
 */
const mergedTags = (existing: string, importTags: string) =>
  `(select coalesce((array_agg(t order by o))[1:50], '{}') from (
      select (array_agg(t order by o))[1] as t, min(o) as o
      from unnest(${existing} || s.tags || ${importTags}::text[]) with ordinality as u(t, o) group by lower(t)) m)`;

/**
 * New leads, with last_activity_at already the time of their "imported" entry (the
 * timeline's statement trigger then has nothing to move, instead of rewriting every lead a
 * second time). A lead someone else added meanwhile with the same identity is left alone.
 * $2 requester, $3 the import's tags, $4 the import's source (`csv`, `phantombuster`), $5 whether
 * it came from a vendor's sandbox (then the whole lead is sample data: sample_data 'lead'), $6 the
 * owners new leads go to in turn (none: unassigned) and $7 how many new leads the import gave out
 * before these rows: the turn goes by new lead, not by row, so rows that matched existing leads
 * or failed take no one's turn.
 */
export const INSERT_LEADS_SQL = `with inserted as (
    insert into public.leads (id, workspace_id, first_name, last_name, email, email_status, title, seniority, department,
      phone, linkedin_url, city, country, time_zone, company_id, owner_id, score, source, tags, custom_fields,
      apollo_person_id, last_activity_at, created_by, sample_data)
    select s.lead_id, $1, s.first_name, s.last_name, s.email, coalesce(s.email_status, 'unknown'), s.title, s.seniority,
      s.department, s.phone, s.linkedin_url, s.city, s.country, s.time_zone, s.company_id,
      case when cardinality($6::uuid[]) > 0
        then ($6::uuid[])[1 + (($7::bigint + row_number() over (order by s.rn) - 1) % cardinality($6::uuid[]))] end,
      coalesce(s.score, 0),
      $4::public.lead_source, ${mergedTags("'{}'::text[]", "$3")}, coalesce(s.custom_fields, '{}'), s.apollo_id, now(), $2,
      case when $5::boolean then 'lead'::public.lead_sample_data end
    from import_stage s where s.outcome = 'insert'
    order by s.rn
    on conflict do nothing
    -- The companies' counts are this batch's to keep (COUNT_COMPANY_LEADS_SQL): the leads' insert trigger skips this statement.
    returning id, set_config('lip.company_counts_by_caller', statement_timestamp()::text, true)
  )
  update import_stage s set outcome = 'inserted' from inserted i where s.lead_id = i.id`;

type Column = { lead: string; value: (rule: MatchRule) => string };

/** A text field: overwrite takes the file's value when it has one; fill_empty only where the lead's is blank. */
const textColumn = (lead: string, stage = lead): Column => ({
  lead,
  value: (rule) =>
    rule === "overwrite"
      ? `coalesce(s.${stage}, l.${lead})`
      : `case when coalesce(l.${lead}, '') = '' and s.${stage} is not null then s.${stage} else l.${lead} end`,
});

/** An identity: like a text field, unless another lead of the workspace holds the value. */
const identityColumn = (lead: string, stage: string, match: string): Column => ({
  lead,
  value: (rule) => {
    const free = `s.${stage} is not null and (s.${match} is null or s.${match} = s.lead_id)`;
    return rule === "overwrite"
      ? `case when ${free} then s.${stage} else l.${lead} end`
      : `case when l.${lead} is null and ${free} then s.${stage} else l.${lead} end`;
  },
});

const emailColumn = identityColumn("email", "email", "match_email");

/**
 * An email status describes one address. The file's (its Email Status column) is taken only for
 * the row's own address, once the lead has it; a lead whose address changes starts over as the
 * lead form does (the file's status for the new address, else unknown, and not verified), so an
 * old "invalid" does not follow a new address out of campaigns, nor an old "valid" vouch for it.
 */
const emailChanged = (rule: MatchRule) => `lower(${emailColumn.value(rule)}) is distinct from lower(l.email)`;
const rowsOwnEmail = (rule: MatchRule) => `coalesce(lower(${emailColumn.value(rule)}) = lower(s.email), false)`;
const EMAIL_STATUS_COLUMNS: Column[] = [
  {
    lead: "email_status",
    value: (rule) => `case
          when ${emailChanged(rule)} then coalesce(case when ${rowsOwnEmail(rule)} then s.email_status end, 'unknown')
          when not ${rowsOwnEmail(rule)} or s.email_status is null then l.email_status
          ${rule === "overwrite" ? "else s.email_status" : "when l.email_status = 'unknown' then s.email_status else l.email_status"}
        end`,
  },
  { lead: "email_verified_at", value: (rule) => `case when ${emailChanged(rule)} then null else l.email_verified_at end` },
];

const UPDATE_COLUMNS: Column[] = [
  textColumn("first_name"),
  textColumn("last_name"),
  emailColumn,
  ...EMAIL_STATUS_COLUMNS,
  textColumn("title"),
  textColumn("seniority"),
  textColumn("department"),
  textColumn("phone"),
  identityColumn("linkedin_url", "linkedin_url", "match_linkedin"),
  textColumn("city"),
  textColumn("country"),
  textColumn("time_zone"),
  identityColumn("apollo_person_id", "apollo_id", "match_apollo"),
  {
    lead: "score",
    value: (rule) =>
      rule === "overwrite" ? "coalesce(s.score, l.score)" : "case when l.score = 0 and s.score is not null then s.score else l.score end",
  },
  { lead: "tags", value: () => mergedTags("l.tags", "$2") },
  {
    lead: "custom_fields",
    value: (rule) =>
      rule === "overwrite" ? "l.custom_fields || coalesce(s.custom_fields, '{}')" : "coalesce(s.custom_fields, '{}') || l.custom_fields",
  },
  {
    lead: "company_id",
    value: (rule) => (rule === "overwrite" ? "coalesce(s.company_id, l.company_id)" : "coalesce(l.company_id, s.company_id)"),
  },
];

/**
 * Matched leads the rule lets change, only where something changes (the rest are skipped as
 * unchanged afterwards). $2 the import's tags; $3 whether the import came from a vendor's sandbox:
 * then a lead it changes holds sample values (sample_data 'values', unless the whole lead is
 * sample data already). A real import leaves the mark: it may not replace every sample value
 * (fill_empty keeps them all), as the lead's timeline keeps saying. The rows written are found again by their rn
 * (the staging table's key): the staging statistics predate the outcomes, so a join on lead_id
 * was planned as a nested loop over every pair (250,000 comparisons for 500 updates).
 */
export function updateLeadsSql(rule: MatchRule): string {
  const names = UPDATE_COLUMNS.map((c) => c.lead);
  return `with target as (
      select s.rn, s.lead_id, ${UPDATE_COLUMNS.map((c) => `${c.value(rule)} as ${c.lead}`).join(",\n        ")}
      from import_stage s join public.leads l on l.workspace_id = $1 and l.id = s.lead_id
      where s.outcome = 'update'
    ), updated as (
      update public.leads l set ${names.map((n) => `${n} = t.${n}`).join(", ")},
        last_activity_at = greatest(l.last_activity_at, now()),
        sample_data = case when $3::boolean then coalesce(l.sample_data, 'values') else l.sample_data end
      from target t
      where l.workspace_id = $1 and l.id = t.lead_id
        and (${names.map((n) => `l.${n}`).join(", ")}) is distinct from (${names.map((n) => `t.${n}`).join(", ")})
      returning t.rn
    )
    update import_stage s set outcome = 'updated' from updated u where s.rn = u.rn and s.outcome = 'update'`;
}

export const SETTLE_LEFTOVERS_SQL = `update import_stage set outcome = 'skipped',
    reason = case outcome when 'update' then 'unchanged' else 'changed_meanwhile' end
  where outcome in ('insert', 'update')`;

/**
 * "imported from <file>" on each written lead's timeline, at the time its last_activity_at
 * already says. $3 requester, $4 file name, $5 the import's source, $6 whether it came from a
 * vendor's sandbox (then `sandbox: true`, read by the lead page: members read the timeline, not
 * every one of them the import).
 */
export const ACTIVITIES_SQL = `with written as (
    insert into public.lead_activities (workspace_id, lead_id, type, actor_id, payload, created_at)
    select $1, s.lead_id, 'imported', $3,
      jsonb_build_object('source', $5::text, 'importId', $2::uuid, 'file', $4::text, 'row', s.rn)
        || case when $6::boolean then jsonb_build_object('sandbox', true) else '{}'::jsonb end, now()
    from import_stage s where s.outcome in ('inserted', 'updated')
    -- Each lead's last_activity_at is already now() (inserted, or moved by the update): the
    -- timeline's trigger that moves it has nothing to do and skips this statement (migration 0079).
    returning set_config('lip.activities_touch_by_caller', statement_timestamp()::text, true)
  )
  select count(*)::int as written from written`;

export const ISSUES_SQL = `insert into public.lead_import_issues (import_id, workspace_id, row_number, outcome, reason, detail)
  select $2, $1, s.rn, s.outcome::public.lead_import_issue_outcome, s.reason, s.detail
  from import_stage s where s.outcome in ('skipped', 'failed')`;

export const COUNT_OUTCOMES_SQL = `select outcome, count(*)::int as n from import_stage group by outcome`;
