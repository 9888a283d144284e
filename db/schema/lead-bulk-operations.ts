import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgEnum, pgPolicy, pgTable, text, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { authenticatedRole, authUid, authUsers } from "drizzle-orm/supabase";
import { inWorkspacesWithRole } from "./_rls";
import { workspaces } from "./workspaces";

export const LEAD_BULK_ACTIONS = ["assign_owner", "set_status", "add_tags", "remove_tags", "delete", "restore"] as const;
export const LEAD_BULK_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;

export type LeadBulkAction = (typeof LEAD_BULK_ACTIONS)[number];
export type LeadBulkStatus = (typeof LEAD_BULK_STATUSES)[number];

export const leadBulkAction = pgEnum("lead_bulk_action", LEAD_BULK_ACTIONS);
export const leadBulkStatus = pgEnum("lead_bulk_status", LEAD_BULK_STATUSES);

/**
 * One bulk change of leads (lib/leads/bulk): what was asked, on which rows, and how far it
 * got. Small ones finish inside the request; larger ones are worked through in batches by the
 * run-lead-bulk-operation job, which moves `cursor` and the counts in the same transaction as
 * each batch's changes, so a retried or replayed batch resumes where the last one committed.
 * Only the person who asked sees and advances it (the job acts as them, under RLS).
 */
export const leadBulkOperations = pgTable(
  "lead_bulk_operations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    action: leadBulkAction("action").notNull(),
    /** The action's argument: `{ ownerId }`, `{ status }` or `{ tags }` (lib/leads/bulk/schemas.ts). */
    params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
    /** Which leads: `{ kind: "ids", ids }`, `{ kind: "filter", query }` or `{ kind: "undo", operationId }`. */
    selection: jsonb("selection").$type<Record<string, unknown>>().notNull(),
    /** The restore that undoes a delete points at it; undoing twice finds the first. */
    undoOf: uuid("undo_of").references((): AnyPgColumn => leadBulkOperations.id, { onDelete: "set null" }),
    status: leadBulkStatus("status").notNull().default("running"),
    /** The rows the person confirmed (the selection's size, or the filter's exact count). */
    total: integer("total").notNull(),
    /** Rows looked at so far, of which `changed` were changed; the rest are counted in `skipped`. */
    processed: integer("processed").notNull().default(0),
    changed: integer("changed").notNull().default(0),
    /** Skipped rows by reason: not_permitted, unchanged, tag_limit, missing. */
    skipped: jsonb("skipped").$type<Record<string, number>>().notNull().default({}),
    /** The last lead id worked on: batches go through the selection in id order. */
    cursor: uuid("cursor"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("lead_bulk_operations_requester_idx").on(t.workspaceId, t.requestedBy, t.createdAt.desc()),
    check("lead_bulk_operations_counts", sql`${t.total} >= 0 and ${t.processed} >= 0 and ${t.changed} between 0 and ${t.processed}`),
    check(
      "lead_bulk_operations_json",
      sql`jsonb_typeof(${t.params}) = 'object' and jsonb_typeof(${t.selection}) = 'object'
      and jsonb_typeof(${t.skipped}) = 'object' and pg_column_size(${t.selection}) <= 65536`,
    ),
    check("lead_bulk_operations_finished", sql`(${t.status} in ('completed', 'failed', 'cancelled')) = (${t.finishedAt} is not null)`),
    pgPolicy("lead_bulk_operations_requester_select", {
      for: "select",
      to: authenticatedRole,
      using: sql`${t.requestedBy} = ${authUid} and ${inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep"])}`,
    }),
    pgPolicy("lead_bulk_operations_editors_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${t.requestedBy} = ${authUid} and ${inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep"])}`,
    }),
    pgPolicy("lead_bulk_operations_requester_update", {
      for: "update",
      to: authenticatedRole,
      using: sql`${t.requestedBy} = ${authUid} and ${inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep"])}`,
      withCheck: sql`${t.requestedBy} = ${authUid} and ${inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep"])}`,
    }),
  ],
);
