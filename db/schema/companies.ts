import { sql, type SQL } from "drizzle-orm";
import {
  bigint,
  foreignKey,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { timeOrderedId } from "./_time-ordered-id";
import { textSortKey } from "./_sort-key";
import { workspaces } from "./workspaces";

/** Roles that may create and edit companies (the lead editors; company rows carry no owner). */
const COMPANY_WRITERS = ["admin", "manager", "sales_rep"] as const;

export const companies = pgTable(
  "companies",
  {
    id: timeOrderedId(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Normalised: lower-case host without scheme, `www.` or path (lib/leads/normalize.ts). */
    domain: text("domain"),
    website: text("website"),
    linkedinUrl: text("linkedin_url"),
    industry: text("industry"),
    employeeCount: integer("employee_count"),
    /** In whole US dollars, as vendors report it. */
    annualRevenue: bigint("annual_revenue", { mode: "number" }),
    country: text("country"),
    city: text("city"),
    description: text("description"),
    /** The vendor's record as received (Apollo organization), for fields not normalised. */
    enrichment: jsonb("enrichment").$type<Record<string, unknown>>().notNull().default({}),
    apolloOrganizationId: text("apollo_organization_id"),
    /**
     * A vendor's sandbox invented the company (an import or an enrichment against the sandbox
     * created it): the Companies list and the company's page say it is sample data. Set in the
     * statement that creates it; never written by users (no column grant).
     */
    sampleData: boolean("sample_data").notNull().default(false),
    /**
     * The list's name sort, without regard to case or accents ("acme corp" beside "Acme", "Élan"
     * among the e's, neither after "Zeta"): a plain column for the keyset's index range.
     */
    nameSort: text("name_sort")
      .notNull()
      .generatedAlwaysAs((): SQL => textSortKey(companies.name)),
    /**
     * The lead table's industry filter key: "fintech" finds "Fintech" and "FINTECH". A column, as
     * leads.country_key, because lower() is not leakproof: under RLS lower(industry) could not be
     * an index condition, and every company of the workspace was tested (lib/leads/list-filters.ts).
     */
    industryKey: text("industry_key").generatedAlwaysAs((): SQL => sql`lower(${companies.industry})`),
    /** The list's size sort: unknown sizes as the smallest, in a plain column so keyset paging is an index range. */
    sizeSort: integer("size_sort")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`coalesce(${companies.employeeCount}, -1)`),
    /**
     * Name and domain, lower-cased and without accents ("Müller GmbH" → "muller gmbh"): what the
     * list's search box matches (trigram index), as the leads' search_text. Stored, so the match
     * is a plain column comparison: under RLS a condition calling unaccent on the row (not
     * leakproof) could not be an index condition, and every company of the workspace was tested.
     */
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`private.unaccent_text(lower(${companies.name} || ' ' || coalesce(${companies.domain}, '')))`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The target of leads' (workspace_id, company_id) foreign key: a lead can only point at a
    // company of its own workspace.
    unique("companies_workspace_id_id_key").on(t.workspaceId, t.id),
    uniqueIndex("companies_workspace_domain_key")
      .on(t.workspaceId, t.domain)
      .where(sql`${t.domain} is not null`),
    uniqueIndex("companies_workspace_apollo_id_key")
      .on(t.workspaceId, t.apolloOrganizationId)
      .where(sql`${t.apolloOrganizationId} is not null`),
    index("companies_workspace_name_idx").on(t.workspaceId, t.nameSort, t.id),
    // Imports link a row that names a company without a domain to the workspace's oldest company
    // of exactly that name (lib/imports/merge-sql.ts): one range per name, already in that order.
    index("companies_workspace_exact_name_idx").on(t.workspaceId, t.name, t.createdAt, t.id),
    // The lead table's industry filter: the matching companies' ids from the index alone.
    index("companies_workspace_industry_idx").on(t.workspaceId, t.industryKey, t.id),
    // The list's other sorts (lib/companies/list-companies.ts), ties by id in the same direction.
    index("companies_workspace_size_idx").on(t.workspaceId, t.sizeSort, t.id),
    index("companies_workspace_created_idx").on(t.workspaceId, t.createdAt, t.id),
    // The list's search box: name and domain, by trigram, lower-cased and unaccented as the
    // leads' search text is (private.unaccent_text, migration 0021): "muller" finds "Müller".
    index("companies_search_trgm_idx").using("gin", t.workspaceId, sql`${t.searchText} extensions.gin_trgm_ops`),
    check("companies_name_length", sql`char_length(${t.name}) between 1 and 300`),
    // What normalizeDomain (lib/leads/normalize.ts) makes: lower-case labels of at most 63
    // characters, 253 in all, no "www." (a member's own token may write the column).
    check(
      "companies_domain_normalised",
      sql`${t.domain} ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$' and ${t.domain} !~ '^www\\.' and char_length(${t.domain}) <= 253`,
    ),
    check("companies_employee_count_nonnegative", sql`${t.employeeCount} >= 0`),
    check("companies_annual_revenue_nonnegative", sql`${t.annualRevenue} >= 0`),
    pgPolicy("companies_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("companies_writers_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: inWorkspacesWithRole(t.workspaceId, COMPANY_WRITERS),
    }),
    pgPolicy("companies_writers_update", {
      for: "update",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, COMPANY_WRITERS),
      withCheck: inWorkspacesWithRole(t.workspaceId, COMPANY_WRITERS),
    }),
    pgPolicy("companies_admins_delete", { for: "delete", to: authenticatedRole, using: inWorkspacesWithRole(t.workspaceId, ["admin"]) }),
  ],
);

/**
 * Each company's live (not deleted) leads, so the list sorts and pages by it without counting a
 * million leads per request. Kept by triggers on leads (0014), a row per company made by a
 * trigger on companies, and by an import batch for the leads it inserts (lib/imports/merge-sql.ts);
 * never written by users. A table of its own, not a column of companies: every change of a
 * count wrote a new version of the company row into its nine indexes (its trigram search
 * index among them), since the count is indexed for the sort; here it writes two small ones.
 */
export const companyLeadCounts = pgTable(
  "company_lead_counts",
  {
    companyId: uuid("company_id").primaryKey(),
    workspaceId: uuid("workspace_id").notNull(),
    leadCount: integer("lead_count").notNull().default(0),
  },
  (t) => [
    foreignKey({
      name: "company_lead_counts_company_fkey",
      columns: [t.workspaceId, t.companyId],
      foreignColumns: [companies.workspaceId, companies.id],
    }).onDelete("cascade"),
    // The list's sort by leads (lib/companies/list-companies.ts), ties by company id.
    index("company_lead_counts_sort_idx").on(t.workspaceId, t.leadCount, t.companyId),
    check("company_lead_counts_nonnegative", sql`${t.leadCount} >= 0`),
    pgPolicy("company_lead_counts_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
  ],
);
