CREATE TABLE "ai_enrichment_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"import_id" uuid,
	"lead_ids" uuid[] NOT NULL,
	"fetch_homepage" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"cursor" integer DEFAULT 0 NOT NULL,
	"enriched" integer DEFAULT 0 NOT NULL,
	"cached" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"estimated_cost_usd" numeric(14, 8) DEFAULT 0 NOT NULL,
	"cost_usd" numeric(14, 8) DEFAULT 0 NOT NULL,
	"failures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "ai_enrichment_runs_leads" CHECK (cardinality("ai_enrichment_runs"."lead_ids") between 1 and 10000),
	CONSTRAINT "ai_enrichment_runs_cursor" CHECK ("ai_enrichment_runs"."cursor" between 0 and cardinality("ai_enrichment_runs"."lead_ids") and "ai_enrichment_runs"."cost_usd" >= 0),
	CONSTRAINT "ai_enrichment_runs_error_length" CHECK (char_length("ai_enrichment_runs"."error") <= 1000),
	CONSTRAINT "ai_enrichment_runs_failures_array" CHECK (jsonb_typeof("ai_enrichment_runs"."failures") = 'array')
);
--> statement-breakpoint
ALTER TABLE "ai_enrichment_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_fit_score" smallint GENERATED ALWAYS AS ((case when jsonb_typeof("leads"."enrichment" -> 'ai' -> 'fitScore') = 'number'
        and ("leads"."enrichment" -> 'ai' ->> 'fitScore')::numeric between 0 and 100
        then round(("leads"."enrichment" -> 'ai' ->> 'fitScore')::numeric) else -1 end)::smallint) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_icebreaker" text GENERATED ALWAYS AS (lower(left(coalesce("leads"."enrichment" ->> 'icebreaker', ''), 300))) STORED;--> statement-breakpoint
ALTER TABLE "ai_enrichment_runs" ADD CONSTRAINT "ai_enrichment_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_enrichment_runs" ADD CONSTRAINT "ai_enrichment_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_enrichment_runs_workspace_idx" ON "ai_enrichment_runs" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "ai_enrichment_runs_import_idx" ON "ai_enrichment_runs" USING btree ("workspace_id","import_id") WHERE "ai_enrichment_runs"."import_id" is not null;--> statement-breakpoint
CREATE INDEX "leads_sort_fit_score_idx" ON "leads" USING btree ("workspace_id","sort_fit_score","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_icebreaker_idx" ON "leads" USING btree ("workspace_id","sort_icebreaker","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE POLICY "ai_enrichment_runs_enrichers_select" ON "ai_enrichment_runs" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("ai_enrichment_runs"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));