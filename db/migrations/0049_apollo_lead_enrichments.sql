CREATE TABLE "apollo_lead_enrichments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"lead_ids" uuid[] NOT NULL,
	"mode" text DEFAULT 'fill_empty' NOT NULL,
	"reenrich" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"cursor" integer DEFAULT 0 NOT NULL,
	"credits_consumed" numeric(12, 2) DEFAULT 0 NOT NULL,
	"enrich_calls" integer DEFAULT 0 NOT NULL,
	"revealed_people" integer DEFAULT 0 NOT NULL,
	"reused_people" integer DEFAULT 0 NOT NULL,
	"updated_leads" integer DEFAULT 0 NOT NULL,
	"unchanged_leads" integer DEFAULT 0 NOT NULL,
	"not_found" integer DEFAULT 0 NOT NULL,
	"skipped_leads" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "apollo_lead_enrichments_leads" CHECK (cardinality("apollo_lead_enrichments"."lead_ids") between 1 and 1000),
	CONSTRAINT "apollo_lead_enrichments_cursor" CHECK ("apollo_lead_enrichments"."cursor" between 0 and cardinality("apollo_lead_enrichments"."lead_ids") and "apollo_lead_enrichments"."credits_consumed" >= 0),
	CONSTRAINT "apollo_lead_enrichments_error_length" CHECK (char_length("apollo_lead_enrichments"."error") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "apollo_lead_enrichments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_apollo_enrichments" (
	"enrichment_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"apollo_person_id" text,
	"outcome" text NOT NULL,
	"mode" text NOT NULL,
	"reason" text,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"changed" text[] DEFAULT '{}'::text[] NOT NULL,
	"enriched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_apollo_enrichments_pkey" PRIMARY KEY("enrichment_id","lead_id"),
	CONSTRAINT "lead_apollo_enrichments_fields_object" CHECK (jsonb_typeof("lead_apollo_enrichments"."fields") = 'object'),
	CONSTRAINT "lead_apollo_enrichments_reason_length" CHECK (char_length("lead_apollo_enrichments"."reason") <= 300)
);
--> statement-breakpoint
ALTER TABLE "lead_apollo_enrichments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "apollo_lead_enrichments" ADD CONSTRAINT "apollo_lead_enrichments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apollo_lead_enrichments" ADD CONSTRAINT "apollo_lead_enrichments_account_id_integration_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."integration_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apollo_lead_enrichments" ADD CONSTRAINT "apollo_lead_enrichments_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_apollo_enrichments" ADD CONSTRAINT "lead_apollo_enrichments_enrichment_id_apollo_lead_enrichments_id_fk" FOREIGN KEY ("enrichment_id") REFERENCES "public"."apollo_lead_enrichments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_apollo_enrichments" ADD CONSTRAINT "lead_apollo_enrichments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_apollo_enrichments" ADD CONSTRAINT "lead_apollo_enrichments_lead_fkey" FOREIGN KEY ("workspace_id","lead_id") REFERENCES "public"."leads"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "apollo_lead_enrichments_workspace_idx" ON "apollo_lead_enrichments" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "lead_apollo_enrichments_lead_idx" ON "lead_apollo_enrichments" USING btree ("workspace_id","lead_id","enriched_at");--> statement-breakpoint
CREATE POLICY "apollo_lead_enrichments_importers_select" ON "apollo_lead_enrichments" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("apollo_lead_enrichments"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_apollo_enrichments_members_select" ON "lead_apollo_enrichments" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_apollo_enrichments"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));