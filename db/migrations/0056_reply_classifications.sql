CREATE TYPE "public"."reply_category" AS ENUM('interested', 'question', 'not_interested', 'not_now', 'out_of_office', 'unsubscribe_request', 'wrong_person', 'auto_reply', 'bounce');--> statement-breakpoint
CREATE TYPE "public"."reply_classification_state" AS ENUM('pending', 'classified', 'failed', 'no_model');--> statement-breakpoint
CREATE TYPE "public"."reply_source" AS ENUM('resend', 'instantly');--> statement-breakpoint
ALTER TYPE "public"."activity_type" ADD VALUE 'reply_classified';--> statement-breakpoint
ALTER TYPE "public"."activity_type" ADD VALUE 'reply_action_undone';--> statement-breakpoint
ALTER TYPE "public"."activity_type" ADD VALUE 'referral_added';--> statement-breakpoint
CREATE TABLE "reply_classifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"source" "reply_source" NOT NULL,
	"reply_key" text NOT NULL,
	"lead_id" uuid NOT NULL,
	"campaign_id" uuid,
	"enrollment_id" uuid,
	"from_address" text,
	"subject" text,
	"body" text DEFAULT '' NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"state" "reply_classification_state" DEFAULT 'pending' NOT NULL,
	"category" "reply_category",
	"confidence" real,
	"return_date" date,
	"referral" jsonb,
	"suggested_reply" text,
	"model" text,
	"failure" text,
	"classified_at" timestamp with time zone,
	"action" jsonb,
	"undone_at" timestamp with time zone,
	"undone_by" uuid,
	"referred_lead_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reply_classifications_confidence_range" CHECK ("reply_classifications"."confidence" between 0 and 1),
	CONSTRAINT "reply_classifications_body_length" CHECK (char_length("reply_classifications"."body") <= 20000),
	CONSTRAINT "reply_classifications_draft_length" CHECK (char_length("reply_classifications"."suggested_reply") <= 4000),
	CONSTRAINT "reply_classifications_classified_has_category" CHECK ("reply_classifications"."state" <> 'classified' or "reply_classifications"."category" is not null)
);
--> statement-breakpoint
ALTER TABLE "reply_classifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "reply_classifications" ADD CONSTRAINT "reply_classifications_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_classifications" ADD CONSTRAINT "reply_classifications_undone_by_users_id_fk" FOREIGN KEY ("undone_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_classifications" ADD CONSTRAINT "reply_classifications_lead_fkey" FOREIGN KEY ("workspace_id","lead_id") REFERENCES "public"."leads"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reply_classifications_reply_key" ON "reply_classifications" USING btree ("workspace_id","source","reply_key");--> statement-breakpoint
CREATE INDEX "reply_classifications_lead_idx" ON "reply_classifications" USING btree ("lead_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reply_classifications_campaign_idx" ON "reply_classifications" USING btree ("campaign_id","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "reply_classifications_members_select" ON "reply_classifications" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("reply_classifications"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));