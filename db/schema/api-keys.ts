import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUsers } from "drizzle-orm/supabase";
import { API_KEY_SCOPES } from "@/lib/api-keys/scopes";
import { inWorkspacesWithRole } from "./_rls";
import { showable } from "./_showable";
import { workspaces } from "./workspaces";

export const apiKeyScope = pgEnum("api_key_scope", API_KEY_SCOPES);

/**
 * Keys for the REST API (Settings → API, admins). Only the SHA-256 of the secret is kept: the
 * secret is shown once when the key is made. A key acts as the admin who made it, never above
 * its scope's role (lib/api-keys/scopes.ts) and only in its workspace: the membership helpers
 * of RLS read that cap from the request's claims (migration 0054). Revoking sets revoked_at;
 * the row stays, so the audit log keeps naming the key.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: apiKeyScope("scope").notNull(),
    /** The secret's first characters ("lip_AbCd…"), to tell keys apart in the list. */
    prefix: text("prefix").notNull(),
    /** Hex SHA-256 of the whole secret. */
    secretHash: text("secret_hash").notNull(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => authUsers.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    index("api_keys_workspace_created_idx").on(t.workspaceId, t.createdAt.desc()),
    // Two live keys of one name (any case) cannot be told apart in the list, nor in the audit log
    // that names them: the one to revoke could be the wrong one. A revoked key's name is free again.
    uniqueIndex("api_keys_live_name_key")
      .on(t.workspaceId, sql`lower(${t.name})`)
      .where(sql`${t.revokedAt} is null`),
    check("api_keys_name_length", sql`char_length(${t.name}) between 1 and 100`),
    check("api_keys_name_showable", showable(t.name)),
    check("api_keys_secret_hash_shape", sql`${t.secretHash} ~ '^[0-9a-f]{64}$'`),
    check("api_keys_prefix_length", sql`char_length(${t.prefix}) between 4 and 20`),
    pgPolicy("api_keys_admins_select", { for: "select", to: authenticatedRole, using: inWorkspacesWithRole(t.workspaceId, ["admin"]) }),
    pgPolicy("api_keys_admins_insert", {
      for: "insert",
      to: authenticatedRole,
      withCheck: sql`${inWorkspacesWithRole(t.workspaceId, ["admin"])} and ${t.createdBy} = (select auth.uid()) and ${t.revokedAt} is null`,
    }),
    pgPolicy("api_keys_admins_update", {
      for: "update",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
      withCheck: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
  ],
);
