import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, numeric, pgEnum, pgPolicy, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { authenticatedRole, authUsers } from "drizzle-orm/supabase";
import { AI_FEATURES, ICEBREAKER_TONES } from "@/lib/ai/settings-schema";
import { DEFAULT_MODEL_PRICES, type ModelPrice } from "@/lib/ai/pricing";
import { inMemberWorkspaces, inWorkspacesWithRole } from "./_rls";
import { workspaces } from "./workspaces";

export const aiFeature = pgEnum("ai_feature", AI_FEATURES);
export const icebreakerTone = pgEnum("icebreaker_tone", ICEBREAKER_TONES);

/**
 * A workspace's AI settings (Settings → AI, admins): the ideal customer profile scoring is
 * measured against, how icebreakers are written, the model, the monthly budget and the price
 * table the cost is computed with. Members read them (enrichment runs as the rep who asks);
 * admins update them. Every workspace has its row from the start, with the defaults (created
 * with the workspace by a trigger, migration 0046), so nobody ever inserts one.
 */
export const workspaceAiSettings = pgTable(
  "workspace_ai_settings",
  {
    workspaceId: uuid("workspace_id")
      .primaryKey()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    icpDescription: text("icp_description").notNull().default(""),
    targetTitles: text("target_titles")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    targetSeniorities: text("target_seniorities")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    targetIndustries: text("target_industries")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    companySizes: text("company_sizes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    countries: text("countries")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    icebreakerTone: icebreakerTone("icebreaker_tone").notNull().default("friendly"),
    icebreakerLanguage: text("icebreaker_language").notNull().default("English"),
    /** The model to use; null: the server's OPENAI_MODEL. */
    model: text("model"),
    /** USD a calendar month (in the workspace's time zone); null: no limit. */
    monthlyBudgetUsd: numeric("monthly_budget_usd", { precision: 10, scale: 2, mode: "number" }),
    /** USD per million tokens, per model name. */
    prices: jsonb("prices").$type<Record<string, ModelPrice>>().notNull().default(DEFAULT_MODEL_PRICES),
    updatedBy: uuid("updated_by").references(() => authUsers.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("workspace_ai_settings_icp_length", sql`char_length(${t.icpDescription}) <= 4000`),
    check("workspace_ai_settings_language_length", sql`char_length(${t.icebreakerLanguage}) between 1 and 40`),
    check("workspace_ai_settings_model_length", sql`char_length(${t.model}) between 1 and 100`),
    check("workspace_ai_settings_budget_range", sql`${t.monthlyBudgetUsd} >= 0`),
    check(
      "workspace_ai_settings_list_sizes",
      sql`cardinality(${t.targetTitles}) <= 50 and cardinality(${t.targetSeniorities}) <= 20 and cardinality(${t.targetIndustries}) <= 50
        and cardinality(${t.companySizes}) <= 20 and cardinality(${t.countries}) <= 100`,
    ),
    pgPolicy("workspace_ai_settings_members_select", { for: "select", to: authenticatedRole, using: inMemberWorkspaces(t.workspaceId) }),
    pgPolicy("workspace_ai_settings_admins_update", {
      for: "update",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin"]),
      withCheck: inWorkspacesWithRole(t.workspaceId, ["admin"]),
    }),
  ],
);

/**
 * The usage ledger: one row per request to a model, with the tokens the server reported and
 * what they cost at the workspace's prices then. Written by the jobs (the service connection);
 * read by those who see analytics and by admins (the budget, the usage page).
 */
export const aiUsage = pgTable(
  "ai_usage",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    feature: aiFeature("feature").notNull(),
    model: text("model").notNull(),
    promptTokens: integer("prompt_tokens").notNull(),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull(),
    costUsd: numeric("cost_usd", { precision: 14, scale: 8, mode: "number" }).notNull(),
    /** valid, invalid (outside the schema) or refused: every call is billed. */
    outcome: text("outcome").notNull(),
    /** The lead (or reply's lead) the call was about, when there is one; kept if the lead goes. */
    leadId: uuid("lead_id"),
    /** The job run that made the call. */
    runId: text("run_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ai_usage_workspace_created_idx").on(t.workspaceId, t.createdAt),
    // A run's own calls: its cost after each chunk, and the leads it answered already (a retried chunk asks them nothing).
    index("ai_usage_run_idx")
      .on(t.workspaceId, t.runId, t.leadId)
      .where(sql`${t.runId} is not null`),
    check(
      "ai_usage_tokens_range",
      sql`${t.promptTokens} >= 0 and ${t.completionTokens} >= 0 and ${t.cachedTokens} between 0 and ${t.promptTokens}`,
    ),
    check("ai_usage_cost_range", sql`${t.costUsd} >= 0`),
    check("ai_usage_outcome_known", sql`${t.outcome} in ('valid', 'invalid', 'refused')`),
    check("ai_usage_model_length", sql`char_length(${t.model}) between 1 and 200`),
    // Everyone with analytics.read: reps run enrichment and see what is left of the budget.
    pgPolicy("ai_usage_readers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep", "analyst"]),
    }),
  ],
);

export const AI_ENRICHMENT_RUN_STATUSES = ["queued", "running", "paused", "completed", "failed", "cancelled"] as const;
export type AiEnrichmentRunStatus = (typeof AI_ENRICHMENT_RUN_STATUSES)[number];

/** At most this many leads per run (a filter or an import larger than this is enriched in several runs). */
export const AI_ENRICHMENT_MAX_LEADS = 10_000;

/**
 * A run of the AI enrichment (icebreaker, company summary, fit score) over a selection, a
 * filter or an import of the leads table (lib/ai/enrichment/runs): the leads resolved when it
 * was confirmed, the progress the job commits chunk by chunk with its cursor, what it spent,
 * and why it stopped. Sales reps and above read their workspace's runs; the job writes, and
 * the service writes pauses and cancels after its own checks (the service connection).
 */
export const aiEnrichmentRuns = pgTable(
  "ai_enrichment_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    /** The import the run was started from, when it was (its page shows the run). */
    importId: uuid("import_id"),
    leadIds: uuid("lead_ids").array().notNull(),
    fetchHomepage: boolean("fetch_homepage").notNull().default(false),
    status: text("status", { enum: AI_ENRICHMENT_RUN_STATUSES }).notNull().default("queued"),
    cursor: integer("cursor").notNull().default(0),
    enriched: integer("enriched").notNull().default(0),
    cached: integer("cached").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    estimatedCostUsd: numeric("estimated_cost_usd", { precision: 14, scale: 8, mode: "number" }).notNull().default(0),
    costUsd: numeric("cost_usd", { precision: 14, scale: 8, mode: "number" }).notNull().default(0),
    /** The first leads that failed, with the reason (the model answered outside the schema twice). */
    failures: jsonb("failures").$type<{ leadId: string; reason: string }[]>().notNull().default([]),
    /** Why the run ended before its last lead: the budget, a cancel, a model server that is down. */
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("ai_enrichment_runs_workspace_idx").on(t.workspaceId, t.createdAt),
    index("ai_enrichment_runs_import_idx")
      .on(t.workspaceId, t.importId)
      .where(sql`${t.importId} is not null`),
    check("ai_enrichment_runs_leads", sql`cardinality(${t.leadIds}) between 1 and ${sql.raw(String(AI_ENRICHMENT_MAX_LEADS))}`),
    check("ai_enrichment_runs_cursor", sql`${t.cursor} between 0 and cardinality(${t.leadIds}) and ${t.costUsd} >= 0`),
    check("ai_enrichment_runs_error_length", sql`char_length(${t.error}) <= 1000`),
    check("ai_enrichment_runs_failures_array", sql`jsonb_typeof(${t.failures}) = 'array'`),
    pgPolicy("ai_enrichment_runs_enrichers_select", {
      for: "select",
      to: authenticatedRole,
      using: inWorkspacesWithRole(t.workspaceId, ["admin", "manager", "sales_rep"]),
    }),
  ],
);
