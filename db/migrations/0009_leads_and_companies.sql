CREATE TYPE "public"."email_status" AS ENUM('unknown', 'valid', 'risky', 'invalid');--> statement-breakpoint
CREATE TYPE "public"."lead_source" AS ENUM('manual', 'csv', 'apollo', 'phantombuster', 'instantly');--> statement-breakpoint
CREATE TYPE "public"."lead_status" AS ENUM('new', 'contacted', 'replied', 'interested', 'meeting', 'won', 'lost', 'unsubscribed', 'bounced');--> statement-breakpoint
CREATE TYPE "public"."activity_type" AS ENUM('created', 'imported', 'field_changed', 'status_changed', 'owner_changed', 'tags_changed', 'note_added', 'deleted', 'restored', 'enriched', 'email_sent', 'email_opened', 'email_replied', 'email_bounced');--> statement-breakpoint
CREATE TYPE "public"."saved_view_table" AS ENUM('leads', 'companies');--> statement-breakpoint
CREATE TABLE "companies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"domain" text,
	"website" text,
	"linkedin_url" text,
	"industry" text,
	"employee_count" integer,
	"annual_revenue" bigint,
	"country" text,
	"city" text,
	"description" text,
	"enrichment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"apollo_organization_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "companies_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "companies_name_length" CHECK (char_length("companies"."name") between 1 and 300),
	CONSTRAINT "companies_domain_normalised" CHECK ("companies"."domain" ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
	CONSTRAINT "companies_employee_count_nonnegative" CHECK ("companies"."employee_count" >= 0),
	CONSTRAINT "companies_annual_revenue_nonnegative" CHECK ("companies"."annual_revenue" >= 0)
);
--> statement-breakpoint
ALTER TABLE "companies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"first_name" text,
	"last_name" text,
	"email" text,
	"email_status" "email_status" DEFAULT 'unknown' NOT NULL,
	"email_verified_at" timestamp with time zone,
	"title" text,
	"seniority" text,
	"department" text,
	"phone" text,
	"linkedin_url" text,
	"city" text,
	"country" text,
	"time_zone" text,
	"company_id" uuid,
	"company_name" text,
	"owner_id" uuid,
	"status" "lead_status" DEFAULT 'new' NOT NULL,
	"score" smallint DEFAULT 0 NOT NULL,
	"source" "lead_source" DEFAULT 'manual' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enrichment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"apollo_person_id" text,
	"instantly_lead_id" text,
	"last_activity_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	"search_text" text GENERATED ALWAYS AS (lower(
        coalesce("leads"."first_name", '') || ' ' || coalesce("leads"."last_name", '') || ' ' ||
        coalesce("leads"."email", '') || ' ' || coalesce("leads"."company_name", '') || ' ' || coalesce("leads"."title", ''))) STORED,
	CONSTRAINT "leads_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "leads_has_identity" CHECK (coalesce("leads"."email", "leads"."linkedin_url", "leads"."first_name", "leads"."last_name") is not null),
	CONSTRAINT "leads_email_trimmed" CHECK ("leads"."email" = btrim("leads"."email") and "leads"."email" like '%_@_%'),
	CONSTRAINT "leads_score_range" CHECK ("leads"."score" between 0 and 100),
	CONSTRAINT "leads_linkedin_normalised" CHECK ("leads"."linkedin_url" ~ '^https://www\.linkedin\.com/in/[^/?#]+$'),
	CONSTRAINT "leads_tags_bounded" CHECK (cardinality("leads"."tags") <= 50),
	CONSTRAINT "leads_deleted_by_only_when_deleted" CHECK ("leads"."deleted_by" is null or "leads"."deleted_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "leads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"type" "activity_type" NOT NULL,
	"actor_id" uuid,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_activities_payload_object" CHECK (jsonb_typeof("lead_activities"."payload") = 'object')
);
--> statement-breakpoint
ALTER TABLE "lead_activities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"table_name" "saved_view_table" NOT NULL,
	"name" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"state" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_name_length" CHECK (char_length(btrim("saved_views"."name")) between 1 and 80),
	CONSTRAINT "saved_views_state_object" CHECK (jsonb_typeof("saved_views"."state") = 'object' and pg_column_size("saved_views"."state") <= 16384)
);
--> statement-breakpoint
ALTER TABLE "saved_views" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_activities" ADD CONSTRAINT "lead_activities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_activities" ADD CONSTRAINT "lead_activities_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_activities" ADD CONSTRAINT "lead_activities_lead_fkey" FOREIGN KEY ("workspace_id","lead_id") REFERENCES "public"."leads"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "companies_workspace_domain_key" ON "companies" USING btree ("workspace_id","domain") WHERE "companies"."domain" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "companies_workspace_apollo_id_key" ON "companies" USING btree ("workspace_id","apollo_organization_id") WHERE "companies"."apollo_organization_id" is not null;--> statement-breakpoint
CREATE INDEX "companies_workspace_name_idx" ON "companies" USING btree ("workspace_id","name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "leads_workspace_email_key" ON "leads" USING btree ("workspace_id",lower("email")) WHERE "leads"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "leads_workspace_linkedin_key" ON "leads" USING btree ("workspace_id","linkedin_url") WHERE "leads"."linkedin_url" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "leads_workspace_apollo_id_key" ON "leads" USING btree ("workspace_id","apollo_person_id") WHERE "leads"."apollo_person_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "leads_workspace_instantly_id_key" ON "leads" USING btree ("workspace_id","instantly_lead_id") WHERE "leads"."instantly_lead_id" is not null;--> statement-breakpoint
CREATE INDEX "leads_company_idx" ON "leads" USING btree ("workspace_id","company_id") WHERE "leads"."company_id" is not null;--> statement-breakpoint
CREATE INDEX "leads_owner_idx" ON "leads" USING btree ("owner_id") WHERE "leads"."owner_id" is not null;--> statement-breakpoint
CREATE INDEX "leads_workspace_created_idx" ON "leads" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_deleted_idx" ON "leads" USING btree ("workspace_id","deleted_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "leads"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin ("workspace_id","search_text" extensions.gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "lead_activities_lead_created_idx" ON "lead_activities" USING btree ("lead_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name_key" ON "saved_views" USING btree ("workspace_id","owner_id","table_name",lower("name"));--> statement-breakpoint
CREATE INDEX "saved_views_workspace_table_idx" ON "saved_views" USING btree ("workspace_id","table_name");--> statement-breakpoint
CREATE POLICY "companies_members_select" ON "companies" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("companies"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "companies_writers_insert" ON "companies" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("companies"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "companies_writers_update" ON "companies" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("companies"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[])) WITH CHECK ("companies"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "companies_admins_delete" ON "companies" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("companies"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "leads_members_select" ON "leads" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("leads"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "leads_editors_insert" ON "leads" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (("leads"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or ("leads"."workspace_id" = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and ("leads"."owner_id" is null or "leads"."owner_id" = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "leads_editors_update" ON "leads" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (("leads"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or ("leads"."workspace_id" = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and ("leads"."owner_id" is null or "leads"."owner_id" = (select auth.uid()))))) WITH CHECK (("leads"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or ("leads"."workspace_id" = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and ("leads"."owner_id" is null or "leads"."owner_id" = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "leads_admins_delete" ON "leads" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("leads"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_activities_members_select" ON "lead_activities" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_activities"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_activities_editors_insert" ON "lead_activities" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("lead_activities"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_activities"."actor_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "saved_views_select_own_or_shared" ON "saved_views" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("saved_views"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]) and ("saved_views"."owner_id" = (select auth.uid()) or "saved_views"."shared"));--> statement-breakpoint
CREATE POLICY "saved_views_insert_own" ON "saved_views" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("saved_views"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]) and "saved_views"."owner_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "saved_views_update_own" ON "saved_views" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("saved_views"."owner_id" = (select auth.uid())) WITH CHECK ("saved_views"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]) and "saved_views"."owner_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "saved_views_delete_own" ON "saved_views" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("saved_views"."owner_id" = (select auth.uid()));