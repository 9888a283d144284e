import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUsers } from "drizzle-orm/supabase";
import { INTEGRATION_STATUSES, INTEGRATION_VENDORS } from "@/lib/integrations/accounts/vendors";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { workspaces } from "./workspaces";

export const integrationVendor = pgEnum("integration_vendor", INTEGRATION_VENDORS);
export const integrationStatus = pgEnum("integration_status", INTEGRATION_STATUSES);

/**
 * A workspace's account with a vendor (Settings → Integrations, `integrations.manage`: admins),
 * one per vendor. The API key is stored only encrypted (AES-256-GCM under a key derived from
 * ENCRYPTION_KEY, lib/integrations/accounts/secret-box.ts); `secret_key_id` names the key that
 * encrypted it, so ENCRYPTION_KEY can change without misreading old rows. Members read the
 * status; no user role may read the two secret columns at all (column grants, migration 0038):
 * those who may spend a key get its ciphertext through private.integration_account_secret,
 * which checks their role again, and the server decrypts it (ENCRYPTION_KEY never reaches
 * the database).
 * Disconnecting keeps the row (its history) and drops the secret.
 */
export const integrationAccounts = pgTable(
  "integration_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    vendor: integrationVendor("vendor").notNull(),
    /** base64 of IV (12 bytes) ‖ GCM tag (16 bytes) ‖ ciphertext; bound to the workspace and vendor. */
    secretCiphertext: text("secret_ciphertext"),
    secretKeyId: text("secret_key_id"),
    /** The key's last four characters, shown as ••••last4. */
    keyLast4: text("key_last4"),
    /** Connected to the app's own sandbox (sample data), not the vendor. */
    sandbox: boolean("sandbox").notNull().default(false),
    status: integrationStatus("status").notNull().default("connected"),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
    lastError: text("last_error"),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
    /**
     * What the key may not do, learnt when it was last checked (e.g. "People Search needs a
     * master API key."); null when it may do everything the app asks of the vendor.
     */
    missingPermission: text("missing_permission"),
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    updatedBy: uuid("updated_by").references(() => authUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("integration_accounts_workspace_vendor_key").on(t.workspaceId, t.vendor),
    check(
      "integration_accounts_secret_matches_status",
      sql`(${t.status} = 'disconnected') = (${t.secretCiphertext} is null)
        and (${t.secretCiphertext} is null) = (${t.secretKeyId} is null)
        and (${t.secretCiphertext} is null) = (${t.keyLast4} is null)`,
    ),
    check("integration_accounts_last4_length", sql`char_length(${t.keyLast4}) between 1 and 4`),
    check("integration_accounts_last_error_length", sql`char_length(${t.lastError}) <= 1000`),
    check("integration_accounts_missing_permission_length", sql`char_length(${t.missingPermission}) <= 300`),
    pgPolicy("integration_accounts_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("integration_accounts_admins_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
    pgPolicy("integration_accounts_admins_update", {
      for: "update",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
      withCheck: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
    pgPolicy("integration_accounts_admins_delete", {
      for: "delete",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
  ],
);

/**
 * A vendor answer that did not have its documented shape (lib/integrations/accounts/
 * record-outcome.ts): kept as received (`body`: its JSON, or its text when it was not JSON),
 * with the endpoint and the field that failed, so an admin or an engineer can see what the
 * vendor sent while the run that met it failed without writing anything from it. Written by
 * the service connection; admins read.
 */
export const integrationInvalidAnswers = pgTable(
  "integration_invalid_answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => integrationAccounts.id, { onDelete: "cascade" }),
    vendor: integrationVendor("vendor").notNull(),
    endpoint: text("endpoint").notNull(),
    /** The path of the first field that failed ("matches.0.id"), or "(the whole answer)". */
    field: text("field").notNull(),
    problem: text("problem").notNull(),
    body: jsonb("body").$type<unknown>(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("integration_invalid_answers_account_idx").on(t.workspaceId, t.accountId, t.receivedAt),
    check(
      "integration_invalid_answers_lengths",
      sql`char_length(${t.endpoint}) <= 300 and char_length(${t.field}) <= 300 and char_length(${t.problem}) <= 1000`,
    ),
    pgPolicy("integration_invalid_answers_admins_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
  ],
);
