import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  integer,
  jsonb,
  numeric,
  pgPolicy,
  pgTable,
  index,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUsers } from "drizzle-orm/supabase";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { integrationAccounts } from "./integrations";
import { leadImports } from "./lead-imports";
import { leads } from "./leads";
import { workspaces } from "./workspaces";

/** Who may search Apollo and import from it (`imports.run` and `enrichment.run`). */
const IMPORTERS = ["admin", "manager", "sales_rep"] as const;

/**
 * An import of people found with Apollo's People Search (lib/integrations/apollo/import/): a
 * lead_imports row (preset `apollo_api`) whose rows are written as the job reveals each chunk
 * of ≤ 10 people, then processed by the CSV import job with the same rules and counts.
 * `person_ids` is the selection, in order: row n of the import is the person at index n-1.
 * Credits are added up from what Apollo's answers report. Written only by the start service
 * and the job (the service connection); importers read.
 */
export const apolloImports = pgTable(
  "apollo_imports",
  {
    importId: uuid("import_id").primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The Apollo account the job spends: its flow control is keyed by it. */
    accountId: uuid("account_id")
      .notNull()
      .references(() => integrationAccounts.id, { onDelete: "cascade" }),
    personIds: text("person_ids").array().notNull(),
    /** Asked to reveal again people this workspace has already enriched (spending credits again). */
    reenrich: boolean("reenrich").notNull().default(false),
    /** As Apollo's answers reported them (`credits_consumed`, a number that may be fractional). */
    creditsConsumed: numeric("credits_consumed", { precision: 12, scale: 2, mode: "number" }).notNull().default(0),
    enrichCalls: integer("enrich_calls").notNull().default(0),
    /** People revealed by this import, and people whose earlier enrichment was reused (no credit). */
    enrichedPeople: integer("enriched_people").notNull().default(0),
    reusedPeople: integer("reused_people").notNull().default(0),
    /** Rows written so far (the cursor of the enrichment): every row up to it has its fields. */
    enrichedRows: integer("enriched_rows").notNull().default(0),
    enrichmentFinishedAt: timestamp("enrichment_finished_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "apollo_imports_import_fkey",
      columns: [t.workspaceId, t.importId],
      foreignColumns: [leadImports.workspaceId, leadImports.id],
    }).onDelete("cascade"),
    check("apollo_imports_people", sql`cardinality(${t.personIds}) between 1 and 50000`),
    check("apollo_imports_counts", sql`${t.enrichedRows} between 0 and cardinality(${t.personIds}) and ${t.creditsConsumed} >= 0`),
    pgPolicy("apollo_imports_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
  ],
);

/**
 * Every Apollo person a workspace has had revealed, once: the unique key is what makes a
 * replayed or retried enrichment step spend nothing again (the step writes the person here in
 * the same transaction as the import rows, and asks Apollo only for ids not here). `person` is
 * Apollo's JSON as received (the raw layer), null when Apollo matched nobody for the id.
 */
export const apolloEnrichedPeople = pgTable(
  "apollo_enriched_people",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    apolloPersonId: text("apollo_person_id").notNull(),
    person: jsonb("person").$type<Record<string, unknown>>(),
    /** The import whose job revealed it (kept when that import is deleted: the credit was spent). */
    importId: uuid("import_id"),
    /** Or the enrichment of existing leads whose job revealed it (apollo_lead_enrichments). */
    leadEnrichmentId: uuid("lead_enrichment_id"),
    fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "apollo_enriched_people_pkey", columns: [t.workspaceId, t.apolloPersonId] }),
    check("apollo_enriched_people_id_length", sql`char_length(${t.apolloPersonId}) between 1 and 100`),
    check("apollo_enriched_people_person_object", sql`${t.person} is null or jsonb_typeof(${t.person}) = 'object'`),
    pgPolicy("apollo_enriched_people_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
  ],
);

/**
 * The raw layer of Apollo's organizations: each one as the latest enrichment answer carried it
 * (inside a revealed person), unknown fields included, with the time it was received; one row
 * per workspace and Apollo organization id, beside the normalised companies. Rewritten only
 * when Apollo's JSON differs, so a replayed step changes nothing. Written by the jobs only.
 */
export const apolloOrganizations = pgTable(
  "apollo_organizations",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    apolloOrganizationId: text("apollo_organization_id").notNull(),
    raw: jsonb("raw").$type<Record<string, unknown>>().notNull(),
    fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "apollo_organizations_pkey", columns: [t.workspaceId, t.apolloOrganizationId] }),
    check("apollo_organizations_id_length", sql`char_length(${t.apolloOrganizationId}) between 1 and 100`),
    check("apollo_organizations_raw_object", sql`jsonb_typeof(${t.raw}) = 'object'`),
    pgPolicy("apollo_organizations_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
  ],
);

export const APOLLO_ENRICH_MODES = ["fill_empty", "overwrite"] as const;
export type ApolloEnrichMode = (typeof APOLLO_ENRICH_MODES)[number];
export const APOLLO_LEAD_ENRICHMENT_STATUSES = ["queued", "running", "completed", "failed"] as const;
export const LEAD_APOLLO_OUTCOMES = ["updated", "unchanged", "not_found", "skipped"] as const;

/**
 * An enrichment of existing leads with Apollo's People Enrichment (lib/integrations/apollo/
 * enrich-leads/): the leads chosen (in order; `cursor` is how many the job has done), whether
 * Apollo's values only fill empty fields or overwrite, and what it cost as Apollo reported it.
 * Written by the start service and the job (the service connection); importers read.
 */
export const apolloLeadEnrichments = pgTable(
  "apollo_lead_enrichments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => integrationAccounts.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    leadIds: uuid("lead_ids").array().notNull(),
    mode: text("mode", { enum: APOLLO_ENRICH_MODES }).notNull().default("fill_empty"),
    /** Asked to reveal again people this workspace has already had revealed (spending credits again). */
    reenrich: boolean("reenrich").notNull().default(false),
    /** Run against Apollo's sandbox (sample data), as the account was when the run was created. */
    sandbox: boolean("sandbox").notNull().default(false),
    status: text("status", { enum: APOLLO_LEAD_ENRICHMENT_STATUSES }).notNull().default("queued"),
    cursor: integer("cursor").notNull().default(0),
    creditsConsumed: numeric("credits_consumed", { precision: 12, scale: 2, mode: "number" }).notNull().default(0),
    enrichCalls: integer("enrich_calls").notNull().default(0),
    /** People Apollo revealed for this run, and people an earlier reveal gave without a credit. */
    revealedPeople: integer("revealed_people").notNull().default(0),
    reusedPeople: integer("reused_people").notNull().default(0),
    updatedLeads: integer("updated_leads").notNull().default(0),
    unchangedLeads: integer("unchanged_leads").notNull().default(0),
    notFound: integer("not_found").notNull().default(0),
    skippedLeads: integer("skipped_leads").notNull().default(0),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("apollo_lead_enrichments_workspace_idx").on(t.workspaceId, t.createdAt),
    check("apollo_lead_enrichments_leads", sql`cardinality(${t.leadIds}) between 1 and 1000`),
    check("apollo_lead_enrichments_cursor", sql`${t.cursor} between 0 and cardinality(${t.leadIds}) and ${t.creditsConsumed} >= 0`),
    check("apollo_lead_enrichments_error_length", sql`char_length(${t.error}) <= 1000`),
    pgPolicy("apollo_lead_enrichments_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
  ],
);

/**
 * What one enrichment did to one lead, for the lead page's enrichment panel: the values Apollo
 * gave for our fields (`fields`), which of them were written (`changed`), and when. One row per
 * (enrichment, lead): a replayed step writes nothing twice. Members read (as they read the lead).
 */
export const leadApolloEnrichments = pgTable(
  "lead_apollo_enrichments",
  {
    enrichmentId: uuid("enrichment_id")
      .notNull()
      .references(() => apolloLeadEnrichments.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").notNull(),
    apolloPersonId: text("apollo_person_id"),
    outcome: text("outcome", { enum: LEAD_APOLLO_OUTCOMES }).notNull(),
    /** The run's choice, kept here: members read this row, not the run. */
    mode: text("mode", { enum: APOLLO_ENRICH_MODES }).notNull(),
    /** The run's sandbox flag, kept here too: these values are sample data. */
    sandbox: boolean("sandbox").notNull().default(false),
    /** Why nothing was asked or written: no identifiers, not permitted, deleted. */
    reason: text("reason"),
    fields: jsonb("fields").$type<Record<string, string | number>>().notNull().default({}),
    changed: text("changed")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    enrichedAt: timestamp("enriched_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "lead_apollo_enrichments_pkey", columns: [t.enrichmentId, t.leadId] }),
    foreignKey({
      name: "lead_apollo_enrichments_lead_fkey",
      columns: [t.workspaceId, t.leadId],
      foreignColumns: [leads.workspaceId, leads.id],
    }).onDelete("cascade"),
    index("lead_apollo_enrichments_lead_idx").on(t.workspaceId, t.leadId, t.enrichedAt),
    check("lead_apollo_enrichments_fields_object", sql`jsonb_typeof(${t.fields}) = 'object'`),
    check("lead_apollo_enrichments_reason_length", sql`char_length(${t.reason}) <= 300`),
    pgPolicy("lead_apollo_enrichments_members_select", {
      for: "select",
      to: authenticatedRole,
      using: inMemberWorkspaces(t.workspaceId),
    }),
  ],
);
