CREATE TYPE "public"."lead_import_issue_outcome" AS ENUM('skipped', 'failed');--> statement-breakpoint
CREATE TYPE "public"."lead_import_status" AS ENUM('mapping', 'queued', 'running', 'paused', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "lead_import_issues" (
	"import_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"outcome" "lead_import_issue_outcome" NOT NULL,
	"reason" text NOT NULL,
	"detail" text,
	CONSTRAINT "lead_import_issues_pkey" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
ALTER TABLE "lead_import_issues" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_import_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"created_by" uuid,
	"name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_import_mappings_name_length" CHECK (char_length(btrim("lead_import_mappings"."name")) between 1 and 80),
	CONSTRAINT "lead_import_mappings_columns_object" CHECK (jsonb_typeof("lead_import_mappings"."columns") = 'object' and pg_column_size("lead_import_mappings"."columns") <= 32768)
);
--> statement-breakpoint
ALTER TABLE "lead_import_mappings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_import_rows" (
	"import_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"fields" text[] NOT NULL,
	CONSTRAINT "lead_import_rows_pkey" PRIMARY KEY("import_id","row_number"),
	CONSTRAINT "lead_import_rows_row_number" CHECK ("lead_import_rows"."row_number" >= 1)
);
--> statement-breakpoint
ALTER TABLE "lead_import_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"created_by" uuid,
	"file_name" text NOT NULL,
	"file_size" bigint NOT NULL,
	"encoding" text NOT NULL,
	"delimiter" text NOT NULL,
	"headers" text[] NOT NULL,
	"total_rows" integer NOT NULL,
	"status" "lead_import_status" DEFAULT 'mapping' NOT NULL,
	"preset" text,
	"mapping" jsonb,
	"rules" jsonb,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"companies_created" integer DEFAULT 0 NOT NULL,
	"job_event_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "lead_imports_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "lead_imports_file_name_length" CHECK (char_length("lead_imports"."file_name") between 1 and 255),
	CONSTRAINT "lead_imports_counts" CHECK ("lead_imports"."total_rows" >= 0 and "lead_imports"."inserted" >= 0 and "lead_imports"."updated" >= 0 and "lead_imports"."skipped" >= 0 and "lead_imports"."failed" >= 0
      and "lead_imports"."companies_created" >= 0
      and "lead_imports"."inserted" + "lead_imports"."updated" + "lead_imports"."skipped" + "lead_imports"."failed" = "lead_imports"."processed_rows"
      and "lead_imports"."processed_rows" <= "lead_imports"."total_rows"),
	CONSTRAINT "lead_imports_completed_accounts_every_row" CHECK ("lead_imports"."status" <> 'completed' or "lead_imports"."processed_rows" = "lead_imports"."total_rows"),
	CONSTRAINT "lead_imports_started_has_plan" CHECK ("lead_imports"."status" = 'mapping' or ("lead_imports"."mapping" is not null and "lead_imports"."rules" is not null)),
	CONSTRAINT "lead_imports_finished" CHECK (("lead_imports"."status" in ('completed', 'failed', 'cancelled')) = ("lead_imports"."finished_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "lead_imports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_import_issues" ADD CONSTRAINT "lead_import_issues_import_fkey" FOREIGN KEY ("workspace_id","import_id") REFERENCES "public"."lead_imports"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_import_mappings" ADD CONSTRAINT "lead_import_mappings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_import_mappings" ADD CONSTRAINT "lead_import_mappings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_import_rows" ADD CONSTRAINT "lead_import_rows_import_fkey" FOREIGN KEY ("workspace_id","import_id") REFERENCES "public"."lead_imports"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lead_import_mappings_name_key" ON "lead_import_mappings" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE INDEX "lead_imports_workspace_created_idx" ON "lead_imports" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "lead_import_issues_importers_select" ON "lead_import_issues" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_import_issues"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_import_mappings_importers_select" ON "lead_import_mappings" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_import_mappings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_import_mappings_importers_insert" ON "lead_import_mappings" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("lead_import_mappings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_import_mappings"."created_by" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "lead_import_mappings_owner_update" ON "lead_import_mappings" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("lead_import_mappings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]) or ("lead_import_mappings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_import_mappings"."created_by" = (select auth.uid()))) WITH CHECK ("lead_import_mappings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_import_mappings_owner_delete" ON "lead_import_mappings" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("lead_import_mappings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]) or ("lead_import_mappings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_import_mappings"."created_by" = (select auth.uid())));--> statement-breakpoint
CREATE POLICY "lead_import_rows_importers_select" ON "lead_import_rows" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_import_rows"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_imports_importers_select" ON "lead_imports" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_imports_owner_update" ON "lead_imports" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("lead_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
        or ("lead_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_imports"."created_by" = (select auth.uid()))) WITH CHECK ("lead_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
        or ("lead_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_imports"."created_by" = (select auth.uid())));--> statement-breakpoint
CREATE POLICY "lead_imports_owner_delete" ON "lead_imports" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("lead_imports"."status" in ('mapping', 'completed', 'failed', 'cancelled') and ("lead_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
        or ("lead_imports"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "lead_imports"."created_by" = (select auth.uid()))));--> statement-breakpoint
-- Written by the upload route and the import job on the service connection only (no policy lets a person write them); people
-- read them under RLS and change an import's plan and state through the services.
REVOKE INSERT ON public.lead_import_rows, public.lead_import_issues FROM anon, authenticated;--> statement-breakpoint
REVOKE INSERT ON public.lead_imports FROM anon, authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.lead_imports FROM anon, authenticated;--> statement-breakpoint
-- The counts and the cursor are the job's alone: a person cannot make an import look done
-- (and the counts check would refuse a "completed" that does not account for every row).
GRANT UPDATE (status, preset, mapping, rules, job_event_id, error, started_at, finished_at) ON public.lead_imports TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.lead_import_mappings FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (name, columns) ON public.lead_import_mappings TO authenticated;--> statement-breakpoint
CREATE TRIGGER lead_imports_touch_updated_at BEFORE UPDATE ON public.lead_imports
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint
CREATE TRIGGER lead_import_mappings_touch_updated_at BEFORE UPDATE ON public.lead_import_mappings
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();
