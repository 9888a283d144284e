CREATE TABLE "instantly_campaign_daily_analytics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" text NOT NULL,
	"day" date NOT NULL,
	"raw" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instantly_campaign_daily_analytics_raw_object" CHECK (jsonb_typeof("instantly_campaign_daily_analytics"."raw") = 'object')
);
--> statement-breakpoint
ALTER TABLE "instantly_campaign_daily_analytics" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "instantly_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"instantly_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instantly_campaigns_raw_object" CHECK (jsonb_typeof("instantly_campaigns"."raw") = 'object'),
	CONSTRAINT "instantly_campaigns_instantly_id_length" CHECK (char_length("instantly_campaigns"."instantly_id") between 1 and 320)
);
--> statement-breakpoint
ALTER TABLE "instantly_campaigns" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "instantly_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"instantly_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instantly_emails_raw_object" CHECK (jsonb_typeof("instantly_emails"."raw") = 'object'),
	CONSTRAINT "instantly_emails_instantly_id_length" CHECK (char_length("instantly_emails"."instantly_id") between 1 and 320)
);
--> statement-breakpoint
ALTER TABLE "instantly_emails" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "instantly_leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"instantly_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"email" text,
	CONSTRAINT "instantly_leads_raw_object" CHECK (jsonb_typeof("instantly_leads"."raw") = 'object'),
	CONSTRAINT "instantly_leads_instantly_id_length" CHECK (char_length("instantly_leads"."instantly_id") between 1 and 320),
	CONSTRAINT "instantly_leads_email_normalised" CHECK ("instantly_leads"."email" = lower(btrim("instantly_leads"."email")))
);
--> statement-breakpoint
ALTER TABLE "instantly_leads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "instantly_sending_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"instantly_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instantly_sending_accounts_raw_object" CHECK (jsonb_typeof("instantly_sending_accounts"."raw") = 'object'),
	CONSTRAINT "instantly_sending_accounts_instantly_id_length" CHECK (char_length("instantly_sending_accounts"."instantly_id") between 1 and 320)
);
--> statement-breakpoint
ALTER TABLE "instantly_sending_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "instantly_sync_cursors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"resource" text NOT NULL,
	"cursor" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instantly_sync_cursors_resource" CHECK (resource in ('campaign_daily_analytics', 'leads', 'emails')),
	CONSTRAINT "instantly_sync_cursors_cursor_length" CHECK (char_length("instantly_sync_cursors"."cursor") between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "instantly_sync_cursors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "instantly_campaign_daily_analytics" ADD CONSTRAINT "instantly_campaign_daily_analytics_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instantly_campaigns" ADD CONSTRAINT "instantly_campaigns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instantly_emails" ADD CONSTRAINT "instantly_emails_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instantly_leads" ADD CONSTRAINT "instantly_leads_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instantly_sending_accounts" ADD CONSTRAINT "instantly_sending_accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instantly_sync_cursors" ADD CONSTRAINT "instantly_sync_cursors_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_campaign_daily_analytics_key" ON "instantly_campaign_daily_analytics" USING btree ("workspace_id","campaign_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_campaigns_workspace_instantly_id_key" ON "instantly_campaigns" USING btree ("workspace_id","instantly_id");--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_emails_workspace_instantly_id_key" ON "instantly_emails" USING btree ("workspace_id","instantly_id");--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_leads_workspace_instantly_id_key" ON "instantly_leads" USING btree ("workspace_id","instantly_id");--> statement-breakpoint
CREATE INDEX "instantly_leads_workspace_email_idx" ON "instantly_leads" USING btree ("workspace_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_sending_accounts_workspace_instantly_id_key" ON "instantly_sending_accounts" USING btree ("workspace_id","instantly_id");--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_sync_cursors_workspace_resource_key" ON "instantly_sync_cursors" USING btree ("workspace_id","resource");--> statement-breakpoint
CREATE POLICY "instantly_campaign_daily_analytics_members_select" ON "instantly_campaign_daily_analytics" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("instantly_campaign_daily_analytics"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "instantly_campaigns_members_select" ON "instantly_campaigns" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("instantly_campaigns"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "instantly_emails_members_select" ON "instantly_emails" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("instantly_emails"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "instantly_leads_members_select" ON "instantly_leads" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("instantly_leads"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "instantly_sending_accounts_members_select" ON "instantly_sending_accounts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("instantly_sending_accounts"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "instantly_sync_cursors_admins_select" ON "instantly_sync_cursors" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.has_workspace_role("instantly_sync_cursors"."workspace_id", array['admin']::text[]));