import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inWorkspacesWithRole } from "./_rls";
import { IMPORT_OUTCOMES_NOT_WRITTEN, IMPORT_STATUSES } from "./lead-import-enums";
import { leadSource } from "./leads";
import { workspaces } from "./workspaces";

export { IMPORT_STATUSES, IMPORT_OUTCOMES_NOT_WRITTEN, type ImportStatus, type ImportIssueOutcome } from "./lead-import-enums";

export const leadImportStatus = pgEnum("lead_import_status", IMPORT_STATUSES);
export const leadImportIssueOutcome = pgEnum("lead_import_issue_outcome", IMPORT_OUTCOMES_NOT_WRITTEN);

/** Who may import (the `imports.run` permission of lib/auth/permissions.ts). */
const IMPORTERS = ["admin", "manager", "sales_rep"] as const;
/**
 * Who may read an import, its rows and its issues (`imports.read`): importers and analysts, so
 * a read API key (an analyst at most) can follow an import's progress. The policies keep their
 * first names (`…_importers_select`).
 */
const IMPORT_READERS = [...IMPORTERS, "analyst"] as const;

/**
 * One CSV import of leads (lib/imports). The upload route stores the parsed rows
 * (lead_import_rows) and this row in one transaction, in status `mapping`: an upload cut off
 * half-way leaves nothing. Starting it records the mapping and rules and queues the job,
 * which works through the rows in row_number order: `processed_rows` is both the cursor and
 * the number of rows accounted for, moved in the same transaction as each batch's writes, so
 * a retried or resumed batch neither repeats nor loses a row. Every processed row is exactly
 * one of inserted / updated / skipped / failed (the check below); the skipped and failed ones
 * have their reason in lead_import_issues.
 */
export const leadImports = pgTable(
  "lead_imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    /**
     * Who started it (chose its mapping and rules), whose rights its job acts with on every run,
     * a resume's too; the uploader may be someone else (a manager starts a rep's file). Written
     * in the start itself by the guard of people's moves (migration 0136), or when the job is
     * first asked for by a start on the service connection; no member may write it.
     */
    startedBy: uuid("started_by").references(() => authUsers.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    /**
     * What the inserted leads record as their source: `csv` for an uploaded file,
     * `phantombuster` for an agent's result file imported from PhantomBuster.
     */
    source: leadSource("source").notNull().default("csv"),
    /**
     * Served by a vendor's sandbox (sample data), as the integration account was when the import
     * was created: a later reconnect with a real key does not make these rows real.
     */
    sandbox: boolean("sandbox").notNull().default(false),
    /** Bytes received. */
    fileSize: bigint("file_size", { mode: "number" }).notNull(),
    /** As detected: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, … */
    encoding: text("encoding").notNull(),
    /** As detected: `,` `;` `\t` or `|`. */
    delimiter: text("delimiter").notNull(),
    /** The header row as written in the file (blank or duplicate names included). */
    headers: text("headers").array().notNull(),
    /** Data rows of the file (the header excluded): what the four counts add up to. */
    totalRows: integer("total_rows").notNull(),
    status: leadImportStatus("status").notNull().default("mapping"),
    /** The preset the mapping started from (`apollo`, `phantombuster_sales_navigator`, `generic`, …). */
    preset: text("preset"),
    /** Column index → target (lib/imports/types.ts `ImportMapping`), set when started. */
    mapping: jsonb("mapping").$type<Record<string, unknown>>(),
    /** Match rule, owners, tags (lib/imports/types.ts `ImportRules`), set when started. */
    rules: jsonb("rules").$type<Record<string, unknown>>(),
    processedRows: integer("processed_rows").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    companiesCreated: integer("companies_created").notNull().default(0),
    /** The id of the event that started the job: the Jobs page finds its run by it. */
    jobEventId: text("job_event_id"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** While paused: since when. The time it spent paused before counts in paused_ms, so its rate and time left leave pauses out. */
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    pausedMs: bigint("paused_ms", { mode: "number" }).notNull().default(0),
    /** When the nightly prune deleted the rows this ended import no longer needs (lib/imports/prune-import-rows.ts): it is not read again. */
    rowsPrunedAt: timestamp("rows_pruned_at", { withTimezone: true }),
  },
  (t) => [
    unique("lead_imports_workspace_id_id_key").on(t.workspaceId, t.id),
    index("lead_imports_workspace_created_idx").on(t.workspaceId, t.createdAt.desc(), t.id.desc()),
    check("lead_imports_file_name_length", sql`char_length(${t.fileName}) between 1 and 255`),
    check(
      "lead_imports_counts",
      sql`${t.totalRows} >= 0 and ${t.inserted} >= 0 and ${t.updated} >= 0 and ${t.skipped} >= 0 and ${t.failed} >= 0
      and ${t.companiesCreated} >= 0
      and ${t.inserted} + ${t.updated} + ${t.skipped} + ${t.failed} = ${t.processedRows}
      and ${t.processedRows} <= ${t.totalRows}`,
    ),
    check("lead_imports_completed_accounts_every_row", sql`${t.status} <> 'completed' or ${t.processedRows} = ${t.totalRows}`),
    check("lead_imports_started_has_plan", sql`${t.status} = 'mapping' or (${t.mapping} is not null and ${t.rules} is not null)`),
    check("lead_imports_finished", sql`(${t.status} in ('completed', 'failed', 'cancelled')) = (${t.finishedAt} is not null)`),
    check("lead_imports_paused_ms_nonnegative", sql`${t.pausedMs} >= 0`),
    check("lead_imports_pruned_when_ended", sql`${t.rowsPrunedAt} is null or ${t.finishedAt} is not null`),
    // The ended imports the prune has still to visit: few, whatever the history.
    index("lead_imports_unpruned_idx")
      .on(t.finishedAt)
      .where(sql`${t.rowsPrunedAt} is null and ${t.finishedAt} is not null`),
    pgPolicy("lead_imports_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORT_READERS),
    }),
    // Rows are created by the upload route on the service connection (COPY is not allowed
    // under RLS); people change an import's plan and state through the services, as
    // themselves: its creator, or a manager or admin.
    pgPolicy("lead_imports_owner_update", {
      for: "update",
      to: authenticatedRole,
      using: sql`${inWorkspacesWithRole(t.workspaceId, ["admin", "manager"])}
        or (${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid})`,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["admin", "manager"])}
        or (${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid})`,
    }),
    pgPolicy("lead_imports_owner_delete", {
      for: "delete",
      to: authenticatedRole,
      using: sql`${t.status} in ('mapping', 'completed', 'failed', 'cancelled') and (${inWorkspacesWithRole(t.workspaceId, ["admin", "manager"])}
        or (${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid}))`,
    }),
  ],
);

/**
 * The file's data rows as parsed at upload (header excluded), numbered from 1 in file order.
 * `fields` holds the row's values as written, in header order (a row with too many or too
 * few fields keeps what it had; its issue says so). Written only by the upload route.
 */
export const leadImportRows = pgTable(
  "lead_import_rows",
  {
    importId: uuid("import_id").notNull(),
    workspaceId: uuid("workspace_id").notNull(),
    rowNumber: integer("row_number").notNull(),
    fields: text("fields").array().notNull(),
  },
  (t) => [
    primaryKey({ name: "lead_import_rows_pkey", columns: [t.importId, t.rowNumber] }),
    foreignKey({
      name: "lead_import_rows_import_fkey",
      columns: [t.workspaceId, t.importId],
      foreignColumns: [leadImports.workspaceId, leadImports.id],
    }).onDelete("cascade"),
    check("lead_import_rows_row_number", sql`${t.rowNumber} >= 1`),
    pgPolicy("lead_import_rows_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORT_READERS),
    }),
  ],
);

/**
 * Why a row was not written: one row per skipped or failed input row, with a reason code
 * (lib/imports/types.ts) and a detail for people (`"E-mail" is not an email address`).
 * Written by the upload route (rows it could not parse) and by the job, in the transaction
 * of the batch that decided it; the primary key makes a replayed batch unable to count a
 * row twice.
 */
export const leadImportIssues = pgTable(
  "lead_import_issues",
  {
    importId: uuid("import_id").notNull(),
    workspaceId: uuid("workspace_id").notNull(),
    rowNumber: integer("row_number").notNull(),
    outcome: leadImportIssueOutcome("outcome").notNull(),
    reason: text("reason").notNull(),
    detail: text("detail"),
  },
  (t) => [
    primaryKey({ name: "lead_import_issues_pkey", columns: [t.importId, t.rowNumber] }),
    foreignKey({
      name: "lead_import_issues_import_fkey",
      columns: [t.workspaceId, t.importId],
      foreignColumns: [leadImports.workspaceId, leadImports.id],
    }).onDelete("cascade"),
    pgPolicy("lead_import_issues_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORT_READERS),
    }),
  ],
);

/**
 * A mapping saved for reuse: header name (as written in the file) → target. Applied to a new
 * file by header name, so it works whatever the column order. Shared with the workspace's
 * importers; its creator or an admin changes or deletes it.
 */
export const leadImportMappings = pgTable(
  "lead_import_mappings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    /** `{ [header]: ColumnTarget }` (lib/imports/types.ts). */
    columns: jsonb("columns").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("lead_import_mappings_name_key").on(t.workspaceId, sql`lower(${t.name})`),
    check("lead_import_mappings_name_length", sql`char_length(btrim(${t.name})) between 1 and 80`),
    check("lead_import_mappings_columns_object", sql`jsonb_typeof(${t.columns}) = 'object' and pg_column_size(${t.columns}) <= 32768`),
    pgPolicy("lead_import_mappings_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
    pgPolicy("lead_import_mappings_importers_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid}`,
    }),
    pgPolicy("lead_import_mappings_owner_update", {
      for: "update",
      to: authenticatedRole,
      using: sql`${inWorkspacesWithRole(t.workspaceId, ["admin"])} or (${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid})`,
      withCheck: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
    pgPolicy("lead_import_mappings_owner_delete", {
      for: "delete",
      to: authenticatedRole,
      using: sql`${inWorkspacesWithRole(t.workspaceId, ["admin"])} or (${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid})`,
    }),
  ],
);

/**
 * The leads an import's rows have reached so far (`i:<lead id>`), so a later batch knows a row
 * is the same lead as an earlier row of the file ("first row wins") even when that row was in
 * another batch. Written by the job in each batch's transaction;
 * emptied when the import ends. Importers may read them (identities of rows they can read
 * anyway); nobody else writes them.
 */
export const leadImportKeys = pgTable(
  "lead_import_keys",
  {
    importId: uuid("import_id").notNull(),
    workspaceId: uuid("workspace_id").notNull(),
    /** `i:<lead id>` (a prefix leaves room for other kinds of key). */
    key: text("key").notNull(),
  },
  (t) => [
    primaryKey({ name: "lead_import_keys_pkey", columns: [t.importId, t.key] }),
    foreignKey({
      name: "lead_import_keys_import_fkey",
      columns: [t.workspaceId, t.importId],
      foreignColumns: [leadImports.workspaceId, leadImports.id],
    }).onDelete("cascade"),
    pgPolicy("lead_import_keys_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
  ],
);
