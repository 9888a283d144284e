import { sql } from "drizzle-orm";
import { check, index, integer, pgPolicy, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inWorkspacesWithRole } from "./_rls";
import { integrationAccounts } from "./integrations";
import { leadImports } from "./lead-imports";
import { workspaces } from "./workspaces";

/** Who may import from PhantomBuster (`imports.run`). */
const IMPORTERS = ["admin", "manager", "sales_rep"] as const;

/**
 * A recurring import of a PhantomBuster agent's results (lib/imports/phantombuster/recurring):
 * every day, or after each of the agent's runs (checked every 15 minutes), the job imports the
 * rows of the agent's result that no earlier run of this agent imported. `next_run_at` is
 * claimed by the cron (moved forward in the same statement), so a run is asked for once.
 * Importers create them as themselves; the creator, a manager or an admin cancels one
 * (`cancelled_at`: kept, with its runs, for the history). One live schedule per agent.
 */
export const phantomBusterSchedules = pgTable(
  "phantombuster_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** The PhantomBuster account the runs use: their flow control is keyed by it. */
    accountId: uuid("account_id")
      .notNull()
      .references(() => integrationAccounts.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    agentName: text("agent_name").notNull(),
    cadence: text("cadence", { enum: ["daily", "after_each_run"] }).notNull(),
    /** The runs import as this person (re-checked each run: they must still be allowed to import). */
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }).notNull().defaultNow(),
    /** The agent's run (container) the latest import or failure was about: the same run is not taken twice. */
    lastContainerId: text("last_container_id"),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelledBy: uuid("cancelled_by").references(() => authUsers.id, { onDelete: "set null" }),
  },
  (t) => [
    unique("phantombuster_schedules_workspace_id_id_key").on(t.workspaceId, t.id),
    uniqueIndex("phantombuster_schedules_live_agent_idx")
      .on(t.workspaceId, t.accountId, t.agentId)
      .where(sql`${t.cancelledAt} is null`),
    index("phantombuster_schedules_due_idx")
      .on(t.nextRunAt)
      .where(sql`${t.cancelledAt} is null`),
    check("phantombuster_schedules_agent_id", sql`${t.agentId} ~ '^[A-Za-z0-9_-]{1,64}$'`),
    check("phantombuster_schedules_agent_name", sql`char_length(${t.agentName}) between 1 and 200`),
    pgPolicy("phantombuster_schedules_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
    pgPolicy("phantombuster_schedules_importers_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid} and ${t.cancelledAt} is null`,
    }),
    pgPolicy("phantombuster_schedules_owner_update", {
      for: "update",
      to: authenticatedRole,
      using: sql`${inWorkspacesWithRole(t.workspaceId, ["admin", "manager"])}
        or (${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid})`,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["admin", "manager"])}
        or (${inWorkspacesWithRole(t.workspaceId, IMPORTERS)} and ${t.createdBy} = ${authUid})`,
    }),
  ],
);

/**
 * Each run of a schedule, once per claimed slot (a replayed or retried run finds its own row):
 * what it imported (the import, in the import history too, and its new rows), that there was
 * nothing new, or why it failed. Written only by the job (the service connection).
 */
export const phantomBusterScheduleRuns = pgTable(
  "phantombuster_schedule_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    scheduleId: uuid("schedule_id")
      .notNull()
      .references(() => phantomBusterSchedules.id, { onDelete: "cascade" }),
    slot: text("slot").notNull(),
    outcome: text("outcome", { enum: ["imported", "nothing_new", "failed"] }).notNull(),
    containerId: text("container_id"),
    importId: uuid("import_id").references(() => leadImports.id, { onDelete: "set null" }),
    newRows: integer("new_rows").notNull().default(0),
    message: text("message"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("phantombuster_schedule_runs_slot_key").on(t.scheduleId, t.slot),
    index("phantombuster_schedule_runs_schedule_idx").on(t.scheduleId, t.createdAt.desc()),
    check("phantombuster_schedule_runs_new_rows", sql`${t.newRows} >= 0`),
    pgPolicy("phantombuster_schedule_runs_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
  ],
);

/**
 * What a recurring import has already imported of an agent's results: one fingerprint per row
 * (lib/imports/phantombuster/recurring/row-fingerprint.ts), written in the same transaction as
 * the import's rows, so a later run imports only rows not here, and a retried run nothing twice.
 */
export const phantomBusterImportedRows = pgTable(
  "phantombuster_imported_rows",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    importId: uuid("import_id").references(() => leadImports.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "phantombuster_imported_rows_pkey", columns: [t.workspaceId, t.agentId, t.fingerprint] }),
    check("phantombuster_imported_rows_fingerprint", sql`${t.fingerprint} ~ '^[0-9a-f]{64}$'`),
    pgPolicy("phantombuster_imported_rows_importers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, IMPORTERS),
    }),
  ],
);
