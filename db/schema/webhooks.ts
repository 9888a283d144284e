import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUsers } from "drizzle-orm/supabase";
import { WEBHOOK_DELIVERY_STATUSES } from "@/lib/webhooks/event-types";
import { inWorkspacesWithRole } from "./_rls";
import { workspaces } from "./workspaces";

export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", WEBHOOK_DELIVERY_STATUSES);

const admins = (workspaceId: Parameters<typeof inWorkspacesWithRole>[0]) => inWorkspacesWithRole(workspaceId, ["admin"]);

/**
 * An admin's subscription of a URL to events (Settings → Webhooks, lib/webhooks). The signing
 * secret (`whsec_…`, Standard Webhooks) is stored only encrypted, as integration keys are
 * (lib/integrations/accounts/secret-box.ts, bound to the workspace and endpoint). Disabled by
 * the admin or automatically after repeated failure (`disabled_reason`); a disabled endpoint
 * gets no new events and its pending deliveries wait until it is enabled again.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    eventTypes: text("event_types").array().notNull(),
    secretCiphertext: text("secret_ciphertext").notNull(),
    secretKeyId: text("secret_key_id").notNull(),
    /**
     * The secret before the last rotation, sealed as the current one, and until when it still
     * signs: during that grace every delivery carries both signatures (Standard Webhooks allows
     * several in `webhook-signature`), so a receiver switches secrets without losing an event.
     */
    previousSecretCiphertext: text("previous_secret_ciphertext"),
    previousSecretKeyId: text("previous_secret_key_id"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** Events in a row whose every attempt failed (reset by any success). */
    consecutiveFailedEvents: integer("consecutive_failed_events").notNull().default(0),
    /** The first failed attempt since the last success: failing for days disables the endpoint. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => authUsers.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("webhook_endpoints_workspace_idx").on(t.workspaceId, t.createdAt),
    check("webhook_endpoints_url_length", sql`char_length(${t.url}) between 1 and 2000`),
    check("webhook_endpoints_description_length", sql`char_length(${t.description}) <= 500`),
    check("webhook_endpoints_event_types", sql`cardinality(${t.eventTypes}) between 1 and 20`),
    check("webhook_endpoints_disabled_reason_length", sql`char_length(${t.disabledReason}) <= 1000`),
    check(
      "webhook_endpoints_previous_secret",
      sql`(${t.previousSecretCiphertext} is null) = (${t.previousSecretKeyId} is null) and (${t.previousSecretCiphertext} is null) = (${t.previousSecretExpiresAt} is null)`,
    ),
    pgPolicy("webhook_endpoints_admins_select", { for: "select", to: authenticatedRole, using: admins(t.workspaceId) }),
    pgPolicy("webhook_endpoints_admins_insert", { for: "insert", to: authenticatedRole, withCheck: admins(t.workspaceId) }),
    pgPolicy("webhook_endpoints_admins_update", {
      for: "update",
      to: authenticatedRole,
      using: admins(t.workspaceId),
      withCheck: admins(t.workspaceId),
    }),
    pgPolicy("webhook_endpoints_admins_delete", { for: "delete", to: authenticatedRole, using: admins(t.workspaceId) }),
  ],
);

/**
 * The outbox: one row per event that happened, written by a trigger in the transaction of the
 * change (migration 0059), so an event exists exactly when its change committed. `data` is the
 * payload's `data` object as sent.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("webhook_events_workspace_idx").on(t.workspaceId, t.createdAt),
    pgPolicy("webhook_events_admins_select", { for: "select", to: authenticatedRole, using: admins(t.workspaceId) }),
  ],
);

/**
 * One event for one endpoint (fanned out by the same trigger). Its id is the `webhook-id` sent
 * (`msg_` + id without dashes): the same on every retry and on a manual redelivery. The job
 * claims due rows (`lease_until`), makes attempt `attempts + 1`, and schedules the next one
 * from lib/webhooks/retry-schedule.ts until `max_attempts`.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Null: as many as the retry schedule allows; a manual redelivery allows one more than made. */
    maxAttempts: integer("max_attempts"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_key").on(t.eventId, t.endpointId),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.workspaceId, t.endpointId, t.createdAt.desc()),
    check("webhook_deliveries_attempts", sql`${t.attempts} >= 0 and (${t.maxAttempts} is null or ${t.attempts} <= ${t.maxAttempts})`),
    check("webhook_deliveries_last_error_length", sql`char_length(${t.lastError}) <= 1000`),
    pgPolicy("webhook_deliveries_admins_select", { for: "select", to: authenticatedRole, using: admins(t.workspaceId) }),
    pgPolicy("webhook_deliveries_admins_update", {
      for: "update",
      to: authenticatedRole,
      using: admins(t.workspaceId),
      withCheck: admins(t.workspaceId),
    }),
  ],
);

/** One HTTP attempt of a delivery: the delivery log. Unique per (delivery, attempt): a retried job step records it once. */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    ok: boolean("ok").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    manual: boolean("manual").notNull().default(false),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_delivery_attempts_key").on(t.deliveryId, t.attempt),
    check("webhook_delivery_attempts_error_length", sql`char_length(${t.error}) <= 1000`),
    pgPolicy("webhook_delivery_attempts_admins_select", { for: "select", to: authenticatedRole, using: admins(t.workspaceId) }),
  ],
);
