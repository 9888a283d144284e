CREATE TYPE "public"."campaign_approval_decision" AS ENUM('approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'pending_approval', 'approved', 'running', 'paused', 'completed', 'stopped');--> statement-breakpoint
CREATE TYPE "public"."campaign_enrollment_status" AS ENUM('active', 'completed', 'stopped', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."suppression_kind" AS ENUM('email', 'domain');--> statement-breakpoint
CREATE TYPE "public"."suppression_reason" AS ENUM('manual', 'unsubscribe', 'bounce', 'complaint', 'import');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('campaign_submitted', 'campaign_approved', 'campaign_rejected');--> statement-breakpoint
CREATE TABLE "sending_identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"from_name" text NOT NULL,
	"from_email" text NOT NULL,
	"reply_to" text,
	"daily_cap" integer DEFAULT 50 NOT NULL,
	"send_days" smallint[] DEFAULT '{1,2,3,4,5}'::smallint[] NOT NULL,
	"send_from_minute" smallint DEFAULT 540 NOT NULL,
	"send_until_minute" smallint DEFAULT 1020 NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"postal_address" text,
	"signature" text,
	"archived_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sending_identities_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "sending_identities_from_name_length" CHECK (char_length(btrim("sending_identities"."from_name")) between 1 and 80),
	CONSTRAINT "sending_identities_from_email_format" CHECK ("sending_identities"."from_email" = lower(btrim("sending_identities"."from_email")) and "sending_identities"."from_email" ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
	CONSTRAINT "sending_identities_reply_to_format" CHECK ("sending_identities"."reply_to" ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
	CONSTRAINT "sending_identities_daily_cap_range" CHECK ("sending_identities"."daily_cap" between 1 and 10000),
	CONSTRAINT "sending_identities_send_days_valid" CHECK (cardinality("sending_identities"."send_days") between 1 and 7 and "sending_identities"."send_days" <@ '{1,2,3,4,5,6,7}'::smallint[]),
	CONSTRAINT "sending_identities_window_valid" CHECK ("sending_identities"."send_from_minute" >= 0 and "sending_identities"."send_from_minute" < "sending_identities"."send_until_minute" and "sending_identities"."send_until_minute" <= 1440),
	CONSTRAINT "sending_identities_postal_address_length" CHECK (char_length("sending_identities"."postal_address") <= 300),
	CONSTRAINT "sending_identities_signature_length" CHECK (char_length("sending_identities"."signature") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "sending_identities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaign_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"decision" "campaign_approval_decision" NOT NULL,
	"content_hash" text NOT NULL,
	"content" jsonb NOT NULL,
	"comment" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_approvals_rejection_has_comment" CHECK ("campaign_approvals"."decision" = 'approved' or char_length(btrim("campaign_approvals"."comment")) >= 1),
	CONSTRAINT "campaign_approvals_comment_length" CHECK (char_length("campaign_approvals"."comment") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "campaign_approvals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaign_enrollments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"status" "campaign_enrollment_status" DEFAULT 'active' NOT NULL,
	"stop_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_enrollments_campaign_lead_key" UNIQUE("campaign_id","lead_id")
);
--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaign_identities" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	CONSTRAINT "campaign_identities_campaign_id_identity_id_pk" PRIMARY KEY("campaign_id","identity_id")
);
--> statement-breakpoint
ALTER TABLE "campaign_identities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaign_step_variants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"step_id" uuid NOT NULL,
	"label" text NOT NULL,
	"weight" smallint DEFAULT 100 NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	CONSTRAINT "campaign_step_variants_label_key" UNIQUE("step_id","label"),
	CONSTRAINT "campaign_step_variants_label_format" CHECK ("campaign_step_variants"."label" ~ '^[A-E]$'),
	CONSTRAINT "campaign_step_variants_weight_range" CHECK ("campaign_step_variants"."weight" between 0 and 100),
	CONSTRAINT "campaign_step_variants_subject_length" CHECK (char_length("campaign_step_variants"."subject") <= 500),
	CONSTRAINT "campaign_step_variants_body_length" CHECK (char_length("campaign_step_variants"."body") <= 20000)
);
--> statement-breakpoint
ALTER TABLE "campaign_step_variants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaign_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"delay_days" smallint DEFAULT 0 NOT NULL,
	"delay_hours" smallint DEFAULT 0 NOT NULL,
	"business_days" boolean DEFAULT false NOT NULL,
	CONSTRAINT "campaign_steps_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "campaign_steps_position_key" UNIQUE("campaign_id","position"),
	CONSTRAINT "campaign_steps_position_range" CHECK ("campaign_steps"."position" between 1 and 20),
	CONSTRAINT "campaign_steps_delay_range" CHECK ("campaign_steps"."delay_days" between 0 and 365 and "campaign_steps"."delay_hours" between 0 and 23)
);
--> statement-breakpoint
ALTER TABLE "campaign_steps" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" "campaign_status" DEFAULT 'draft' NOT NULL,
	"owner_id" uuid,
	"audience" jsonb,
	"stop_on_reply" boolean DEFAULT true NOT NULL,
	"plain_text_only" boolean DEFAULT false NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"submitted_content_hash" text,
	"approval_id" uuid,
	"approved_content_hash" text,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"launched_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "campaigns_name_length" CHECK (char_length(btrim("campaigns"."name")) between 1 and 120),
	CONSTRAINT "campaigns_audience_object" CHECK ("campaigns"."audience" is null or (jsonb_typeof("campaigns"."audience") = 'object' and pg_column_size("campaigns"."audience") <= 65536)),
	CONSTRAINT "campaigns_submitted_has_hash" CHECK ("campaigns"."status" <> 'pending_approval' or "campaigns"."submitted_content_hash" is not null),
	CONSTRAINT "campaigns_approved_has_approval" CHECK ("campaigns"."status" in ('draft', 'pending_approval') or ("campaigns"."approved_content_hash" is not null and "campaigns"."approved_by" is not null and "campaigns"."approved_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "campaigns" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "suppressions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" "suppression_kind" NOT NULL,
	"value" text NOT NULL,
	"reason" "suppression_reason" DEFAULT 'manual' NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_value_normalised" CHECK ("suppressions"."value" = lower(btrim("suppressions"."value")) and char_length("suppressions"."value") between 3 and 320),
	CONSTRAINT "suppressions_value_shape" CHECK (("suppressions"."kind" = 'email' and "suppressions"."value" ~ '^[^@\s]+@[^@\s]+$') or ("suppressions"."kind" = 'domain' and "suppressions"."value" ~ '^[^@\s]+\.[^@\s]+$')),
	CONSTRAINT "suppressions_note_length" CHECK (char_length("suppressions"."note") <= 500)
);
--> statement-breakpoint
ALTER TABLE "suppressions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"email_enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_settings_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "notification_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text NOT NULL,
	"subject_id" uuid,
	"actor_id" uuid,
	"read_at" timestamp with time zone,
	"emailed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_title_length" CHECK (char_length("notifications"."title") between 1 and 200),
	CONSTRAINT "notifications_body_length" CHECK (char_length("notifications"."body") <= 2000),
	CONSTRAINT "notifications_link_in_app" CHECK ("notifications"."link" ~ '^/[^/\\]')
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sending_identities" ADD CONSTRAINT "sending_identities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sending_identities" ADD CONSTRAINT "sending_identities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_approvals" ADD CONSTRAINT "campaign_approvals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_approvals" ADD CONSTRAINT "campaign_approvals_campaign_fkey" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_campaign_fkey" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_lead_fkey" FOREIGN KEY ("workspace_id","lead_id") REFERENCES "public"."leads"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_identities" ADD CONSTRAINT "campaign_identities_campaign_fkey" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_identities" ADD CONSTRAINT "campaign_identities_identity_fkey" FOREIGN KEY ("workspace_id","identity_id") REFERENCES "public"."sending_identities"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "campaign_step_variants_step_fkey" FOREIGN KEY ("workspace_id","step_id") REFERENCES "public"."campaign_steps"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "campaign_step_variants_campaign_fkey" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_steps" ADD CONSTRAINT "campaign_steps_campaign_fkey" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sending_identities_workspace_email_key" ON "sending_identities" USING btree ("workspace_id","from_email");--> statement-breakpoint
CREATE INDEX "campaign_approvals_campaign_idx" ON "campaign_approvals" USING btree ("campaign_id","decided_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "campaign_enrollments_active_lead_idx" ON "campaign_enrollments" USING btree ("workspace_id","lead_id") WHERE "campaign_enrollments"."status" = 'active';--> statement-breakpoint
CREATE INDEX "campaign_identities_identity_idx" ON "campaign_identities" USING btree ("identity_id");--> statement-breakpoint
CREATE INDEX "campaign_step_variants_campaign_idx" ON "campaign_step_variants" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaigns_workspace_status_idx" ON "campaigns" USING btree ("workspace_id","status","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "campaigns_owner_idx" ON "campaigns" USING btree ("workspace_id","owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "suppressions_workspace_value_key" ON "suppressions" USING btree ("workspace_id","kind","value");--> statement-breakpoint
CREATE INDEX "suppressions_workspace_created_idx" ON "suppressions" USING btree ("workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("user_id","workspace_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE POLICY "sending_identities_members_select" ON "sending_identities" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("sending_identities"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "sending_identities_admins_insert" ON "sending_identities" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("sending_identities"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "sending_identities_admins_update" ON "sending_identities" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("sending_identities"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[])) WITH CHECK ("sending_identities"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "sending_identities_admins_delete" ON "sending_identities" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("sending_identities"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "campaign_approvals_members_select" ON "campaign_approvals" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("campaign_approvals"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "campaign_approvals_admins_insert" ON "campaign_approvals" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("campaign_approvals"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]) and "campaign_approvals"."decided_by" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "campaign_enrollments_members_select" ON "campaign_enrollments" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("campaign_enrollments"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "campaign_identities_members_select" ON "campaign_identities" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("campaign_identities"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "campaign_identities_editors_insert" ON "campaign_identities" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (exists (select 1 from public.campaigns c where c.id = "campaign_identities"."campaign_id" and c.workspace_id = "campaign_identities"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_identities_editors_update" ON "campaign_identities" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (exists (select 1 from public.campaigns c where c.id = "campaign_identities"."campaign_id" and c.workspace_id = "campaign_identities"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid()))))) WITH CHECK (exists (select 1 from public.campaigns c where c.id = "campaign_identities"."campaign_id" and c.workspace_id = "campaign_identities"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_identities_editors_delete" ON "campaign_identities" AS PERMISSIVE FOR DELETE TO "authenticated" USING (exists (select 1 from public.campaigns c where c.id = "campaign_identities"."campaign_id" and c.workspace_id = "campaign_identities"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_step_variants_members_select" ON "campaign_step_variants" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("campaign_step_variants"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "campaign_step_variants_editors_insert" ON "campaign_step_variants" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (exists (select 1 from public.campaigns c where c.id = "campaign_step_variants"."campaign_id" and c.workspace_id = "campaign_step_variants"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_step_variants_editors_update" ON "campaign_step_variants" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (exists (select 1 from public.campaigns c where c.id = "campaign_step_variants"."campaign_id" and c.workspace_id = "campaign_step_variants"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid()))))) WITH CHECK (exists (select 1 from public.campaigns c where c.id = "campaign_step_variants"."campaign_id" and c.workspace_id = "campaign_step_variants"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_step_variants_editors_delete" ON "campaign_step_variants" AS PERMISSIVE FOR DELETE TO "authenticated" USING (exists (select 1 from public.campaigns c where c.id = "campaign_step_variants"."campaign_id" and c.workspace_id = "campaign_step_variants"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_steps_members_select" ON "campaign_steps" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("campaign_steps"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "campaign_steps_editors_insert" ON "campaign_steps" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (exists (select 1 from public.campaigns c where c.id = "campaign_steps"."campaign_id" and c.workspace_id = "campaign_steps"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_steps_editors_update" ON "campaign_steps" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (exists (select 1 from public.campaigns c where c.id = "campaign_steps"."campaign_id" and c.workspace_id = "campaign_steps"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid()))))) WITH CHECK (exists (select 1 from public.campaigns c where c.id = "campaign_steps"."campaign_id" and c.workspace_id = "campaign_steps"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaign_steps_editors_delete" ON "campaign_steps" AS PERMISSIVE FOR DELETE TO "authenticated" USING (exists (select 1 from public.campaigns c where c.id = "campaign_steps"."campaign_id" and c.workspace_id = "campaign_steps"."workspace_id"
    and (c.workspace_id = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or (c.workspace_id = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and c.owner_id = (select auth.uid())))));--> statement-breakpoint
CREATE POLICY "campaigns_members_select" ON "campaigns" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("campaigns"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "campaigns_editors_insert" ON "campaigns" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("campaigns"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]) and "campaigns"."owner_id" = (select auth.uid()) and "campaigns"."status" = 'draft');--> statement-breakpoint
CREATE POLICY "campaigns_editors_update" ON "campaigns" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (("campaigns"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or ("campaigns"."workspace_id" = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and "campaigns"."owner_id" = (select auth.uid())))) WITH CHECK (("campaigns"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or ("campaigns"."workspace_id" = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and "campaigns"."owner_id" = (select auth.uid()))));--> statement-breakpoint
CREATE POLICY "campaigns_editors_delete_drafts" ON "campaigns" AS PERMISSIVE FOR DELETE TO "authenticated" USING (("campaigns"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager']::text[]))::uuid[])
    or ("campaigns"."workspace_id" = any ((select private.workspace_ids_with_role(array['sales_rep']::text[]))::uuid[]) and "campaigns"."owner_id" = (select auth.uid()))) and "campaigns"."status" = 'draft' and "campaigns"."launched_at" is null);--> statement-breakpoint
CREATE POLICY "suppressions_members_select" ON "suppressions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("suppressions"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "suppressions_admins_insert" ON "suppressions" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("suppressions"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "suppressions_admins_delete" ON "suppressions" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("suppressions"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "notification_settings_own_select" ON "notification_settings" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("notification_settings"."user_id" = (select auth.uid()) and "notification_settings"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "notification_settings_own_insert" ON "notification_settings" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("notification_settings"."user_id" = (select auth.uid()) and "notification_settings"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "notification_settings_own_update" ON "notification_settings" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("notification_settings"."user_id" = (select auth.uid()) and "notification_settings"."workspace_id" = any ((select private.member_workspace_ids())::uuid[])) WITH CHECK ("notification_settings"."user_id" = (select auth.uid()) and "notification_settings"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "notifications_own_select" ON "notifications" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("notifications"."user_id" = (select auth.uid()) and "notifications"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "notifications_members_insert" ON "notifications" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("notifications"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]) and "notifications"."actor_id" = (select auth.uid())
        and exists (select 1 from public.workspace_members m where m.workspace_id = "notifications"."workspace_id" and m.user_id = "notifications"."user_id"));--> statement-breakpoint
CREATE POLICY "notifications_own_update" ON "notifications" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("notifications"."user_id" = (select auth.uid()) and "notifications"."workspace_id" = any ((select private.member_workspace_ids())::uuid[])) WITH CHECK ("notifications"."user_id" = (select auth.uid()) and "notifications"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));