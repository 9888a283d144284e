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
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { authenticatedRole } from "drizzle-orm/supabase";
import { inWorkspacesWithRole } from "./_rls";
import { integrationAccounts } from "./integrations";
import { leadImports } from "./lead-imports";
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
