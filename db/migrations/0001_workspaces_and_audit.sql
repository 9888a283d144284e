CREATE TYPE "public"."workspace_role" AS ENUM('viewer', 'analyst', 'sales_rep', 'manager', 'admin');--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" "workspace_role" NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "invitations_email_lowercase" CHECK ("invitations"."email" = lower("invitations"."email"))
);
--> statement-breakpoint
ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"full_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "profiles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "workspace_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "workspace_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspace_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug"),
	CONSTRAINT "workspaces_name_length" CHECK (char_length("workspaces"."name") between 1 and 80),
	CONSTRAINT "workspaces_slug_format" CHECK ("workspaces"."slug" ~ '^[a-z0-9][a-z0-9-]{1,62}$')
);
--> statement-breakpoint
ALTER TABLE "workspaces" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_id_users_id_fk" FOREIGN KEY ("id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_open_email_key" ON "invitations" USING btree ("workspace_id","email") WHERE "invitations"."accepted_at" is null and "invitations"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "workspace_members_workspace_user_key" ON "workspace_members" USING btree ("workspace_id","user_id");--> statement-breakpoint
CREATE INDEX "workspace_members_user_idx" ON "workspace_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_workspace_created_idx" ON "audit_log" USING btree ("workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "invitations_admins_select" ON "invitations" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.has_workspace_role("invitations"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "invitations_admins_insert" ON "invitations" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (private.has_workspace_role("invitations"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "invitations_admins_update" ON "invitations" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (private.has_workspace_role("invitations"."workspace_id", array['admin']::text[])) WITH CHECK (private.has_workspace_role("invitations"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "invitations_admins_delete" ON "invitations" AS PERMISSIVE FOR DELETE TO "authenticated" USING (private.has_workspace_role("invitations"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "profiles_select_self_or_teammates" ON "profiles" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("profiles"."id" = (select auth.uid()) or private.shares_workspace_with("profiles"."id"));--> statement-breakpoint
CREATE POLICY "profiles_insert_self" ON "profiles" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("profiles"."id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "profiles_update_self" ON "profiles" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("profiles"."id" = (select auth.uid())) WITH CHECK ("profiles"."id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "workspace_members_select_members" ON "workspace_members" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.is_workspace_member("workspace_members"."workspace_id"));--> statement-breakpoint
CREATE POLICY "workspace_members_insert_admins" ON "workspace_members" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (private.has_workspace_role("workspace_members"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "workspace_members_update_admins" ON "workspace_members" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (private.has_workspace_role("workspace_members"."workspace_id", array['admin']::text[])) WITH CHECK (private.has_workspace_role("workspace_members"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "workspace_members_delete_admins" ON "workspace_members" AS PERMISSIVE FOR DELETE TO "authenticated" USING (private.has_workspace_role("workspace_members"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "workspaces_select_members" ON "workspaces" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.is_workspace_member("workspaces"."id"));--> statement-breakpoint
CREATE POLICY "workspaces_update_admins" ON "workspaces" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (private.has_workspace_role("workspaces"."id", array['admin']::text[])) WITH CHECK (private.has_workspace_role("workspaces"."id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "audit_log_admins_select" ON "audit_log" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.has_workspace_role("audit_log"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "audit_log_members_insert_own" ON "audit_log" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (private.is_workspace_member("audit_log"."workspace_id") and "audit_log"."actor_id" = (select auth.uid()));