CREATE TYPE "public"."lead_bulk_action" AS ENUM('assign_owner', 'set_status', 'add_tags', 'remove_tags', 'delete', 'restore');--> statement-breakpoint
CREATE TYPE "public"."lead_bulk_status" AS ENUM('queued', 'running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "lead_bulk_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"action" "lead_bulk_action" NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"selection" jsonb NOT NULL,
	"undo_of" uuid,
	"status" "lead_bulk_status" DEFAULT 'running' NOT NULL,
	"total" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"skipped" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"cursor" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "lead_bulk_operations_counts" CHECK ("lead_bulk_operations"."total" >= 0 and "lead_bulk_operations"."processed" >= 0 and "lead_bulk_operations"."changed" between 0 and "lead_bulk_operations"."processed"),
	CONSTRAINT "lead_bulk_operations_json" CHECK (jsonb_typeof("lead_bulk_operations"."params") = 'object' and jsonb_typeof("lead_bulk_operations"."selection") = 'object'
      and jsonb_typeof("lead_bulk_operations"."skipped") = 'object' and pg_column_size("lead_bulk_operations"."selection") <= 65536),
	CONSTRAINT "lead_bulk_operations_finished" CHECK (("lead_bulk_operations"."status" in ('completed', 'failed', 'cancelled')) = ("lead_bulk_operations"."finished_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "lead_bulk_operations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_bulk_operations" ADD CONSTRAINT "lead_bulk_operations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_bulk_operations" ADD CONSTRAINT "lead_bulk_operations_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_bulk_operations" ADD CONSTRAINT "lead_bulk_operations_undo_of_lead_bulk_operations_id_fk" FOREIGN KEY ("undo_of") REFERENCES "public"."lead_bulk_operations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_bulk_operations_requester_idx" ON "lead_bulk_operations" USING btree ("workspace_id","requested_by","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "lead_bulk_operations_requester_select" ON "lead_bulk_operations" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_bulk_operations"."requested_by" = (select auth.uid()) and "lead_bulk_operations"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_bulk_operations_editors_insert" ON "lead_bulk_operations" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("lead_bulk_operations"."requested_by" = (select auth.uid()) and "lead_bulk_operations"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "lead_bulk_operations_requester_update" ON "lead_bulk_operations" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("lead_bulk_operations"."requested_by" = (select auth.uid()) and "lead_bulk_operations"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[])) WITH CHECK ("lead_bulk_operations"."requested_by" = (select auth.uid()) and "lead_bulk_operations"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));--> statement-breakpoint
-- What the requester (and the job acting as them) may change: the progress, never what was
-- asked, on which rows, or in which workspace.
REVOKE UPDATE ON public.lead_bulk_operations FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (status, processed, changed, skipped, cursor, error, finished_at) ON public.lead_bulk_operations TO authenticated;--> statement-breakpoint
CREATE TRIGGER lead_bulk_operations_touch_updated_at BEFORE UPDATE ON public.lead_bulk_operations
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();
