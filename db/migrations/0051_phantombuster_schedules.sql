CREATE TABLE "phantombuster_imported_rows" (
	"workspace_id" uuid NOT NULL,
	"agent_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phantombuster_imported_rows_pkey" PRIMARY KEY("workspace_id","agent_id","fingerprint"),
	CONSTRAINT "phantombuster_imported_rows_fingerprint" CHECK ("phantombuster_imported_rows"."fingerprint" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "phantombuster_imported_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "phantombuster_schedule_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"slot" text NOT NULL,
	"outcome" text NOT NULL,
	"container_id" text,
	"import_id" uuid,
	"new_rows" integer DEFAULT 0 NOT NULL,
	"message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phantombuster_schedule_runs_slot_key" UNIQUE("schedule_id","slot"),
	CONSTRAINT "phantombuster_schedule_runs_new_rows" CHECK ("phantombuster_schedule_runs"."new_rows" >= 0)
);
--> statement-breakpoint
ALTER TABLE "phantombuster_schedule_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "phantombuster_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"agent_id" text NOT NULL,
	"agent_name" text NOT NULL,
	"cadence" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_container_id" text,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	CONSTRAINT "phantombuster_schedules_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "phantombuster_schedules_agent_id" CHECK ("phantombuster_schedules"."agent_id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "phantombuster_schedules_agent_name" CHECK (char_length("phantombuster_schedules"."agent_name") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "phantombuster_schedules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "phantombuster_imported_rows" ADD CONSTRAINT "phantombuster_imported_rows_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_imported_rows" ADD CONSTRAINT "phantombuster_imported_rows_import_id_lead_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."lead_imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_schedule_runs" ADD CONSTRAINT "phantombuster_schedule_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_schedule_runs" ADD CONSTRAINT "phantombuster_schedule_runs_schedule_id_phantombuster_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."phantombuster_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_schedule_runs" ADD CONSTRAINT "phantombuster_schedule_runs_import_id_lead_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."lead_imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_schedules" ADD CONSTRAINT "phantombuster_schedules_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_schedules" ADD CONSTRAINT "phantombuster_schedules_account_id_integration_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."integration_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_schedules" ADD CONSTRAINT "phantombuster_schedules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phantombuster_schedules" ADD CONSTRAINT "phantombuster_schedules_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "phantombuster_schedule_runs_schedule_idx" ON "phantombuster_schedule_runs" USING btree ("schedule_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "phantombuster_schedules_live_agent_idx" ON "phantombuster_schedules" USING btree ("workspace_id","account_id","agent_id") WHERE "phantombuster_schedules"."cancelled_at" is null;--> statement-breakpoint
CREATE INDEX "phantombuster_schedules_due_idx" ON "phantombuster_schedules" USING btree ("next_run_at") WHERE "phantombuster_schedules"."cancelled_at" is null;--> statement-breakpoint
CREATE POLICY "phantombuster_imported_rows_importers_select" ON "phantombuster_imported_rows" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("phantombuster_imported_rows"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "phantombuster_schedule_runs_importers_select" ON "phantombuster_schedule_runs" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("phantombuster_schedule_runs"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "phantombuster_schedules_importers_select" ON "phantombuster_schedules" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("phantombuster_schedules"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "phantombuster_schedules_importers_insert" ON "phantombuster_schedules" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("phantombuster_schedules"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "phantombuster_schedules"."created_by" = (select auth.uid()) and "phantombuster_schedules"."cancelled_at" is null);--> statement-breakpoint
CREATE POLICY "phantombuster_schedules_owner_update" ON "phantombuster_schedules" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("phantombuster_schedules"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
        or ("phantombuster_schedules"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "phantombuster_schedules"."created_by" = (select auth.uid()))) WITH CHECK ("phantombuster_schedules"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
        or ("phantombuster_schedules"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "phantombuster_schedules"."created_by" = (select auth.uid())));