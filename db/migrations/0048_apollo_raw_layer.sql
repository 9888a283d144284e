CREATE TABLE "integration_invalid_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"vendor" "integration_vendor" NOT NULL,
	"endpoint" text NOT NULL,
	"field" text NOT NULL,
	"problem" text NOT NULL,
	"body" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_invalid_answers_lengths" CHECK (char_length("integration_invalid_answers"."endpoint") <= 300 and char_length("integration_invalid_answers"."field") <= 300 and char_length("integration_invalid_answers"."problem") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "integration_invalid_answers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "apollo_organizations" (
	"workspace_id" uuid NOT NULL,
	"apollo_organization_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apollo_organizations_pkey" PRIMARY KEY("workspace_id","apollo_organization_id"),
	CONSTRAINT "apollo_organizations_id_length" CHECK (char_length("apollo_organizations"."apollo_organization_id") between 1 and 100),
	CONSTRAINT "apollo_organizations_raw_object" CHECK (jsonb_typeof("apollo_organizations"."raw") = 'object')
);
--> statement-breakpoint
ALTER TABLE "apollo_organizations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "apollo_enriched_people" ADD COLUMN "lead_enrichment_id" uuid;--> statement-breakpoint
ALTER TABLE "integration_invalid_answers" ADD CONSTRAINT "integration_invalid_answers_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_invalid_answers" ADD CONSTRAINT "integration_invalid_answers_account_id_integration_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."integration_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "apollo_organizations" ADD CONSTRAINT "apollo_organizations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "integration_invalid_answers_account_idx" ON "integration_invalid_answers" USING btree ("workspace_id","account_id","received_at");--> statement-breakpoint
CREATE POLICY "integration_invalid_answers_admins_select" ON "integration_invalid_answers" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("integration_invalid_answers"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "apollo_organizations_importers_select" ON "apollo_organizations" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("apollo_organizations"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));