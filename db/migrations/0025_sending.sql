CREATE TYPE "public"."campaign_enrollment_end_cause" AS ENUM('replied', 'unsubscribed', 'bounced', 'complained', 'suppressed', 'lead_deleted', 'lead_status', 'no_email', 'render_failed', 'provider_rejected', 'campaign_stopped');--> statement-breakpoint
CREATE TYPE "public"."email_bounce_type" AS ENUM('hard', 'soft');--> statement-breakpoint
CREATE TYPE "public"."email_event_type" AS ENUM('sent', 'delivered', 'delivery_delayed', 'bounced', 'complained', 'opened', 'clicked', 'failed', 'suppressed', 'received', 'unsubscribed');--> statement-breakpoint
CREATE TYPE "public"."email_message_status" AS ENUM('queued', 'sending', 'sent', 'failed', 'skipped');--> statement-breakpoint
ALTER TYPE "public"."activity_type" ADD VALUE 'email_clicked';--> statement-breakpoint
ALTER TYPE "public"."activity_type" ADD VALUE 'email_complained';--> statement-breakpoint
ALTER TYPE "public"."activity_type" ADD VALUE 'unsubscribed';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'lead_replied';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'campaign_auto_paused';--> statement-breakpoint
CREATE TABLE "email_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"message_id" uuid,
	"type" "email_event_type" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"provider_event_id" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_events_payload_object" CHECK (jsonb_typeof("email_events"."payload") = 'object' and pg_column_size("email_events"."payload") <= 65536)
);
--> statement-breakpoint
ALTER TABLE "email_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "email_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"enrollment_id" uuid NOT NULL,
	"step_id" uuid,
	"step_position" smallint NOT NULL,
	"variant_id" uuid,
	"variant_label" text,
	"lead_id" uuid NOT NULL,
	"identity_id" uuid,
	"status" "email_message_status" DEFAULT 'queued' NOT NULL,
	"to_email" text,
	"from_address" text,
	"reply_to" text,
	"subject" text,
	"html" text,
	"text_body" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rfc_message_id" text,
	"provider_id" text,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"reason" text,
	"error_code" text,
	"cap_day" date,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"clicked_at" timestamp with time zone,
	"bounced_at" timestamp with time zone,
	"bounce_type" "email_bounce_type",
	"complained_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_messages_enrollment_step_key" UNIQUE("enrollment_id","step_id"),
	CONSTRAINT "email_messages_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "email_messages_step_position_range" CHECK ("email_messages"."step_position" between 1 and 20),
	CONSTRAINT "email_messages_sent_has_provider_id" CHECK ("email_messages"."status" <> 'sent' or ("email_messages"."provider_id" is not null and "email_messages"."sent_at" is not null)),
	CONSTRAINT "email_messages_rendered_before_sending" CHECK ("email_messages"."status" not in ('sending', 'sent') or ("email_messages"."to_email" is not null and "email_messages"."subject" is not null and "email_messages"."text_body" is not null)),
	CONSTRAINT "email_messages_refusal_has_reason" CHECK ("email_messages"."status" not in ('skipped', 'failed') or "email_messages"."reason" is not null),
	CONSTRAINT "email_messages_reason_length" CHECK (char_length("email_messages"."reason") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "email_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "email_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"message_id" uuid,
	"campaign_id" uuid,
	"enrollment_id" uuid,
	"lead_id" uuid,
	"provider_email_id" text NOT NULL,
	"rfc_message_id" text,
	"from_address" text NOT NULL,
	"subject" text,
	"text_body" text,
	"html_body" text,
	"received_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_replies_text_length" CHECK (char_length("email_replies"."text_body") <= 200000 and char_length("email_replies"."html_body") <= 500000)
);
--> statement-breakpoint
ALTER TABLE "email_replies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sending_identity_usage" (
	"workspace_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	"day" date NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sending_identity_usage_identity_id_day_pk" PRIMARY KEY("identity_id","day"),
	CONSTRAINT "sending_identity_usage_sent_range" CHECK ("sending_identity_usage"."sent" >= 0)
);
--> statement-breakpoint
ALTER TABLE "sending_identity_usage" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "bounce_rate_threshold" numeric(6, 5) DEFAULT 0.02 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "complaint_rate_threshold" numeric(6, 5) DEFAULT 0.001 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "breaker_min_sends" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "identity_id" uuid;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "next_step" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "next_send_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "last_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "end_cause" "campaign_enrollment_end_cause";--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "pause_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "paused_by" uuid;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_workspace_id_id_key" UNIQUE("workspace_id","id");--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_message_fkey" FOREIGN KEY ("workspace_id","message_id") REFERENCES "public"."email_messages"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_enrollment_fkey" FOREIGN KEY ("workspace_id","enrollment_id") REFERENCES "public"."campaign_enrollments"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_campaign_fkey" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_step_fkey" FOREIGN KEY ("workspace_id","step_id") REFERENCES "public"."campaign_steps"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_lead_fkey" FOREIGN KEY ("workspace_id","lead_id") REFERENCES "public"."leads"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_identity_fkey" FOREIGN KEY ("workspace_id","identity_id") REFERENCES "public"."sending_identities"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_replies" ADD CONSTRAINT "email_replies_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_replies" ADD CONSTRAINT "email_replies_message_fkey" FOREIGN KEY ("workspace_id","message_id") REFERENCES "public"."email_messages"("workspace_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sending_identity_usage" ADD CONSTRAINT "sending_identity_usage_identity_fkey" FOREIGN KEY ("workspace_id","identity_id") REFERENCES "public"."sending_identities"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_events_provider_event_key" ON "email_events" USING btree ("provider_event_id") WHERE "email_events"."provider_event_id" is not null;--> statement-breakpoint
CREATE INDEX "email_events_message_idx" ON "email_events" USING btree ("message_id","occurred_at");--> statement-breakpoint
CREATE INDEX "email_events_workspace_occurred_idx" ON "email_events" USING btree ("workspace_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "email_messages_provider_id_key" ON "email_messages" USING btree ("provider_id") WHERE "email_messages"."provider_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "email_messages_rfc_message_id_key" ON "email_messages" USING btree ("rfc_message_id") WHERE "email_messages"."rfc_message_id" is not null;--> statement-breakpoint
CREATE INDEX "email_messages_campaign_step_idx" ON "email_messages" USING btree ("campaign_id","step_id","variant_id");--> statement-breakpoint
CREATE INDEX "email_messages_campaign_sent_idx" ON "email_messages" USING btree ("campaign_id","sent_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_messages_lead_idx" ON "email_messages" USING btree ("lead_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "email_replies_provider_email_key" ON "email_replies" USING btree ("provider_email_id");--> statement-breakpoint
CREATE INDEX "email_replies_lead_idx" ON "email_replies" USING btree ("lead_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_replies_campaign_idx" ON "email_replies" USING btree ("campaign_id","received_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_identity_fkey" FOREIGN KEY ("workspace_id","identity_id") REFERENCES "public"."sending_identities"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_paused_by_users_id_fk" FOREIGN KEY ("paused_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_enrollments_campaign_status_idx" ON "campaign_enrollments" USING btree ("campaign_id","status","next_send_at");--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_time_zone_length" CHECK (char_length("workspaces"."time_zone") between 1 and 64);--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_bounce_threshold_range" CHECK ("workspaces"."bounce_rate_threshold" > 0 and "workspaces"."bounce_rate_threshold" <= 0.5);--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_complaint_threshold_range" CHECK ("workspaces"."complaint_rate_threshold" > 0 and "workspaces"."complaint_rate_threshold" <= 0.5);--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_breaker_min_sends_range" CHECK ("workspaces"."breaker_min_sends" between 20 and 100000);--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_next_step_range" CHECK ("campaign_enrollments"."next_step" between 1 and 21);--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_generation_positive" CHECK ("campaign_enrollments"."generation" >= 1);--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_ended_has_cause" CHECK ("campaign_enrollments"."status" in ('active', 'completed') or "campaign_enrollments"."end_cause" is not null);--> statement-breakpoint
CREATE POLICY "email_events_members_select" ON "email_events" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("email_events"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "email_messages_members_select" ON "email_messages" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("email_messages"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "email_replies_members_select" ON "email_replies" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("email_replies"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "sending_identity_usage_members_select" ON "sending_identity_usage" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("sending_identity_usage"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));