CREATE TABLE "apollo_enriched_people" (
	"workspace_id" uuid NOT NULL,
	"apollo_person_id" text NOT NULL,
	"person" jsonb,
	"import_id" uuid,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apollo_enriched_people_pkey" PRIMARY KEY("workspace_id","apollo_person_id"),
	CONSTRAINT "apollo_enriched_people_id_length" CHECK (char_length("apollo_enriched_people"."apollo_person_id") between 1 and 100),
	CONSTRAINT "apollo_enriched_people_person_object" CHECK ("apollo_enriched_people"."person" is null or jsonb_typeof("apollo_enriched_people"."person") = 'object')
);
--> statement-breakpoint
ALTER TABLE "apollo_enriched_people" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "apollo_imports" (
	"import_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"person_ids" text[] NOT NULL,
	"reenrich" boolean DEFAULT false NOT NULL,
	"credits_consumed" numeric(12, 2) DEFAULT 0 NOT NULL,
	"enrich_calls" integer DEFAULT 0 NOT NULL,
	"enriched_people" integer DEFAULT 0 NOT NULL,
	"reused_people" integer DEFAULT 0 NOT NULL,
	"enriched_rows" integer DEFAULT 0 NOT NULL,
	"enrichment_finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apollo_imports_people" CHECK (cardinality("apollo_imports"."person_ids") between 1 and 50000),
	CONSTRAINT "apollo_imports_counts" CHECK ("apollo_imports"."enriched_rows" between 0 and cardinality("apollo_imports"."person_ids") and "apollo_imports"."credits_consumed" >= 0)
);
--> statement-breakpoint
ALTER TABLE "apollo_imports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "apollo_enriched_people" ADD CONSTRAINT "apollo_enriched_people_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apollo_imports" ADD CONSTRAINT "apollo_imports_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apollo_imports" ADD CONSTRAINT "apollo_imports_account_id_integration_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."integration_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apollo_imports" ADD CONSTRAINT "apollo_imports_import_fkey" FOREIGN KEY ("workspace_id","import_id") REFERENCES "public"."lead_imports"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "apollo_enriched_people_importers_select" ON "apollo_enriched_people" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("apollo_enriched_people"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "apollo_imports_importers_select" ON "apollo_imports" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("apollo_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));