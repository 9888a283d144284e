import { sql, type SQL } from "drizzle-orm";
import {
  check,
  index,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { timeOrderedId } from "./_time-ordered-id";
import { textSortKey } from "./_sort-key";
import { EMAIL_STATUSES, LEAD_SAMPLE_DATA, LEAD_SOURCES, LEAD_STATUSES } from "./lead-enums";
import { workspaces } from "./workspaces";

export {
  EMAIL_STATUSES,
  LEAD_SAMPLE_DATA,
  LEAD_SOURCES,
  LEAD_STATUSES,
  type EmailStatus,
  type LeadSampleData,
  type LeadSource,
  type LeadStatus,
} from "./lead-enums";

export const leadStatus = pgEnum("lead_status", LEAD_STATUSES);
export const emailStatus = pgEnum("email_status", EMAIL_STATUSES);
export const leadSource = pgEnum("lead_source", LEAD_SOURCES);
export const leadSampleData = pgEnum("lead_sample_data", LEAD_SAMPLE_DATA);

/**
 * Who may write a lead (DESIGN.md §5): managers and admins any lead of their workspace, sales
 * reps their own and unassigned ones. Used for both USING and WITH CHECK, so a rep can neither
 * touch another rep's lead nor hand one of theirs to someone else.
 */
function mayWriteLead(workspaceId: AnyPgColumn, ownerId: AnyPgColumn): SQL {
  return sql`(${inWorkspacesWithRole(workspaceId, ["admin", "manager"])}
    or (${inWorkspacesWithRole(workspaceId, ["sales_rep"])} and (${ownerId} is null or ${ownerId} = ${authUid})))`;
}

/** An enum value's position in its declaration: a CASE, since enum_range() is not immutable. Extend with the enum. */
function enumRank(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`(case ${column} ${sql.raw(values.map((v, i) => `when '${v}' then ${i}`).join(" "))} end)::smallint`;
}

type SortColumns = Record<"workspaceId" | "id" | "deletedAt" | "score" | "ownerId" | "createdAt", AnyPgColumn> &
  Record<
    | "sortLastActivity"
    | "sortName"
    | "sortTitle"
    | "sortCompany"
    | "sortEmail"
    | "sortStatus"
    | "sortSource"
    | "sortTags"
    | "sortFitScore"
    | "sortIcebreaker",
    AnyPgColumn
  >;

function leadSortIndexes(t: SortColumns) {
  const keys: [string, AnyPgColumn][] = [
    ["created", t.createdAt],
    ["last_activity", t.sortLastActivity],
    ["name", t.sortName],
    ["title", t.sortTitle],
    ["company", t.sortCompany],
    ["email", t.sortEmail],
    ["status", t.sortStatus],
    ["source", t.sortSource],
    ["score", t.score],
    ["tags", t.sortTags],
    ["fit_score", t.sortFitScore],
    ["icebreaker", t.sortIcebreaker],
    ["owner", t.ownerId],
  ];
  return keys.map(([name, key]) =>
    index(`leads_sort_${name}_idx`)
      .on(t.workspaceId, key, t.id)
      .where(sql`${t.deletedAt} is null`),
  );
}

export const leads = pgTable(
  "leads",
  {
    id: timeOrderedId(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** Kept as entered (trimmed); uniqueness is on lower(email), see leads_workspace_email_key. */
    email: text("email"),
    emailStatus: emailStatus("email_status").notNull().default("unknown"),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    title: text("title"),
    seniority: text("seniority"),
    department: text("department"),
    phone: text("phone"),
    /** Normalised `https://www.linkedin.com/in/<slug>` (lib/leads/normalize.ts). */
    linkedinUrl: text("linkedin_url"),
    city: text("city"),
    country: text("country"),
    /** IANA zone name, checked against Intl by the service (a CHECK cannot read pg_timezone_names). */
    timeZone: text("time_zone"),
    /** Composite foreign key (workspace_id, company_id) in 0010: same-workspace companies only. */
    companyId: uuid("company_id"),
    /** The company's name, copied by trigger (0010) so sorting and searching need no join. */
    companyName: text("company_name"),
    /** Composite foreign key (workspace_id, owner_id) to workspace_members in 0010. */
    ownerId: uuid("owner_id"),
    status: leadStatus("status").notNull().default("new"),
    score: smallint("score").notNull().default(0),
    source: leadSource("source").notNull().default("manual"),
    /**
     * Whether a vendor's sandbox wrote sample data into the lead (LEAD_SAMPLE_DATA), null when
     * none did; set by the import merge and the Apollo enrichment in the statement that writes
     * the values, and never cleared (a later real import leaves sample values it did not
     * replace). The table reads it per row, without a look at the timeline.
     */
    sampleData: leadSampleData("sample_data"),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    enrichment: jsonb("enrichment").$type<Record<string, unknown>>().notNull().default({}),
    apolloPersonId: text("apollo_person_id"),
    instantlyLeadId: text("instantly_lead_id"),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Moved forward by trigger on every update: the version for optimistic concurrency. */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedBy: uuid("deleted_by").references(() => authUsers.id, { onDelete: "set null" }),
    /**
     * Name, email, company and title, lower-cased and without accents ("Zoë Müller" → "zoe
     * muller"): what the search box matches (trigram index), its words unaccented alike
     * (lib/leads/list-filters.ts). private.unaccent_text is unaccent() made IMMUTABLE (migration 0021).
     */
    searchText: text("search_text").generatedAlwaysAs(
      (): SQL => sql`private.unaccent_text(lower(
        coalesce(${leads.firstName}, '') || ' ' || coalesce(${leads.lastName}, '') || ' ' ||
        coalesce(${leads.email}, '') || ' ' || coalesce(${leads.companyName}, '') || ' ' || coalesce(${leads.title}, '')))`,
    ),
    // The sort keys of the lead table (lib/leads/list-sorts.ts), stored so that a keyset step is a
    // plain column comparison. Under RLS PostgreSQL only lets leakproof conditions into an index
    // range, and lower(), coalesce(), enum and array comparisons are not leakproof: on an
    // expression index the step `(key, id) > (…)` became a filter over every row before it.
    // A missing value sorts as the smallest; statuses and sources in the order of their enums.
    sortLastActivity: timestamp("sort_last_activity", { withTimezone: true }).generatedAlwaysAs(
      (): SQL => sql`coalesce(${leads.lastActivityAt}, '-infinity'::timestamptz)`,
    ),
    // Names and words sort as a reader expects (textSortKey: "Émile" among the e's, not after
    // "Zoe"). A change to these keys changes the cursors' key version (list-cursor.ts).
    sortName: text("sort_name").generatedAlwaysAs((): SQL =>
      textSortKey(sql`coalesce(${leads.firstName}, '') || ' ' || coalesce(${leads.lastName}, '')`),
    ),
    sortTitle: text("sort_title").generatedAlwaysAs((): SQL => textSortKey(sql`coalesce(${leads.title}, '')`)),
    sortCompany: text("sort_company").generatedAlwaysAs((): SQL => textSortKey(sql`coalesce(${leads.companyName}, '')`)),
    sortEmail: text("sort_email").generatedAlwaysAs((): SQL => sql`lower(coalesce(${leads.email}, ''))`),
    sortStatus: smallint("sort_status").generatedAlwaysAs((): SQL => enumRank(leads.status, LEAD_STATUSES)),
    sortSource: smallint("sort_source").generatedAlwaysAs((): SQL => enumRank(leads.source, LEAD_SOURCES)),
    sortTags: text("sort_tags").generatedAlwaysAs((): SQL => textSortKey(sql`coalesce(${leads.tags}[1], '')`)),
    // The country filter's key: "france" finds the leads of "France" and "FRANCE". A column, not
    // lower(country) in the filter, because lower() is not leakproof: under RLS that condition
    // could not use leads_filter_country_status_idx.
    countryKey: text("country_key").generatedAlwaysAs((): SQL => sql`lower(${leads.country})`),
    // The AI enrichment's fit score and icebreaker (lib/ai/enrichment), kept in `enrichment`
    // where campaigns' {{ icebreaker }} reads it: as columns so the table sorts and filters on
    // them through an index (-1 and '' when a lead has none). Only a number 0–100 is a score.
    sortFitScore: smallint("sort_fit_score").generatedAlwaysAs(
      (): SQL => sql`(case when jsonb_typeof(${leads.enrichment} -> 'ai' -> 'fitScore') = 'number'
        and (${leads.enrichment} -> 'ai' ->> 'fitScore')::numeric between 0 and 100
        then round((${leads.enrichment} -> 'ai' ->> 'fitScore')::numeric) else -1 end)::smallint`,
    ),
    sortIcebreaker: text("sort_icebreaker").generatedAlwaysAs((): SQL =>
      textSortKey(sql`left(coalesce(${leads.enrichment} ->> 'icebreaker', ''), 300)`),
    ),
  },
  (t) => [
    // Targets of activities' composite foreign key.
    unique("leads_workspace_id_id_key").on(t.workspaceId, t.id),
    // Deleted leads keep their address: re-adding one finds it (and offers a restore). The
    // planner ignores a partial index's statistics: lower(email) has its own (migration 0074).
    uniqueIndex("leads_workspace_email_key")
      .on(t.workspaceId, sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    uniqueIndex("leads_workspace_linkedin_key")
      .on(t.workspaceId, t.linkedinUrl)
      .where(sql`${t.linkedinUrl} is not null`),
    uniqueIndex("leads_workspace_apollo_id_key")
      .on(t.workspaceId, t.apolloPersonId)
      .where(sql`${t.apolloPersonId} is not null`),
    uniqueIndex("leads_workspace_instantly_id_key")
      .on(t.workspaceId, t.instantlyLeadId)
      .where(sql`${t.instantlyLeadId} is not null`),
    index("leads_company_idx")
      .on(t.workspaceId, t.companyId)
      .where(sql`${t.companyId} is not null`),
    index("leads_owner_idx")
      .on(t.ownerId)
      .where(sql`${t.ownerId} is not null`),
    // One per sort of the lead table (lib/leads/list-sorts.ts): the live leads of a workspace in
    // key order with id as tie-breaker, read forwards or backwards (both columns ascending: a
    // descending key made PostgreSQL 18 sort), so every keyset page is a range scan however deep.
    ...leadSortIndexes(t),
    // Country and status, the filters reps combine (e.g. "interested or meeting in Germany, by
    // score"): the few thousand leads that match, instead of walking the sort order past hundreds
    // of thousands of others. Status by its rank: enum equality is not leakproof, so under RLS it
    // could not be an index condition (lib/leads/list-filters.ts filters on sort_status).
    index("leads_filter_country_status_idx")
      .on(t.workspaceId, t.countryKey, t.sortStatus)
      .where(sql`${t.deletedAt} is null`),
    // The analytics page's note on sample data (lib/analytics/sample-data.ts): the few leads a
    // vendor's sandbox made, by creation time, without reading the workspace's real ones.
    index("leads_sample_created_idx")
      .on(t.workspaceId, t.createdAt)
      .where(sql`${t.sampleData} is not null`),
    index("leads_workspace_deleted_idx")
      .on(t.workspaceId, t.deletedAt.desc(), t.id.desc())
      .where(sql`${t.deletedAt} is not null`),
    // The search index keeps GIN's default storage (fastupdate on, 4 MB pending list), measured
    // by `npm run bench:import -- --index-cost` (45,000 leads copied into a million, backend CPU):
    // fastupdate off costs a COPY 8× more (+11.4 s against +1.4 s); a 32 MB or 256 MB pending
    // list saves nothing once its flush is counted (+1.4 s each) and leaves searches scanning it;
    // nor does dropping workspace_id from its keys (+1.6 s).
    index("leads_search_trgm_idx").using("gin", t.workspaceId, sql`${t.searchText} extensions.gin_trgm_ops`),
    check("leads_has_identity", sql`coalesce(${t.email}, ${t.linkedinUrl}, ${t.firstName}, ${t.lastName}) is not null`),
    check("leads_email_trimmed", sql`${t.email} = btrim(${t.email}) and ${t.email} like '%_@_%'`),
    check("leads_score_range", sql`${t.score} between 0 and 100`),
    check("leads_linkedin_normalised", sql`${t.linkedinUrl} ~ '^https://www\\.linkedin\\.com/in/[^/?#]+$'`),
    check("leads_tags_bounded", sql`cardinality(${t.tags}) <= 50`),
    // No two tags that differ only in case (lib/leads/bulk/tag-rule.ts): "VIP" and "vip" are one tag.
    check("leads_tags_unique_ci", sql`private.tags_unique_ci(${t.tags})`),
    check("leads_deleted_by_only_when_deleted", sql`${t.deletedBy} is null or ${t.deletedAt} is not null`),
    pgPolicy("leads_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("leads_editors_insert", { for: "insert", to: authenticatedRole, withCheck: mayWriteLead(t.workspaceId, t.ownerId) }),
    pgPolicy("leads_editors_update", {
      for: "update",
      to: authenticatedRole,
      using: mayWriteLead(t.workspaceId, t.ownerId),
      withCheck: mayWriteLead(t.workspaceId, t.ownerId),
    }),
    // Users soft-delete (an update); erasing rows is for admins (data-subject requests).
    pgPolicy("leads_admins_delete", { for: "delete", to: authenticatedRole, using: inWorkspacesWithRole(t.workspaceId, ["admin"]) }),
  ],
);
