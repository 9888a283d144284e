CREATE TABLE "instantly_campaign_pushes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"approval_id" uuid,
	"content_hash" text NOT NULL,
	"instantly_campaign_id" text,
	"instantly_time_zone" text,
	"status" text DEFAULT 'pushing' NOT NULL,
	"leads_after" uuid,
	"batches_done" integer DEFAULT 0 NOT NULL,
	"leads_sent" integer DEFAULT 0 NOT NULL,
	"leads_uploaded" integer DEFAULT 0 NOT NULL,
	"leads_skipped" integer DEFAULT 0 NOT NULL,
	"leads_blocked" integer DEFAULT 0 NOT NULL,
	"leads_done" boolean DEFAULT false NOT NULL,
	"activated_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instantly_campaign_pushes_status" CHECK (status in ('pushing', 'active', 'paused', 'stopped', 'failed')),
	CONSTRAINT "instantly_campaign_pushes_last_error_length" CHECK (char_length("instantly_campaign_pushes"."last_error") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "instantly_campaign_pushes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "delivery" text DEFAULT 'resend' NOT NULL;--> statement-breakpoint
ALTER TABLE "instantly_campaign_pushes" ADD CONSTRAINT "instantly_campaign_pushes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instantly_campaign_pushes" ADD CONSTRAINT "instantly_campaign_pushes_campaign_fkey" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_campaign_pushes_campaign_key" ON "instantly_campaign_pushes" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "instantly_campaign_pushes_workspace_idx" ON "instantly_campaign_pushes" USING btree ("workspace_id");--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_delivery" CHECK ("campaigns"."delivery" in ('resend', 'instantly'));--> statement-breakpoint
CREATE POLICY "instantly_campaign_pushes_members_select" ON "instantly_campaign_pushes" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("instantly_campaign_pushes"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
-- How a campaign is delivered is the admin's choice at launch, and it holds for the campaign's
-- life: Instantly holds the campaign once pushed, so a launched campaign keeps its delivery.
CREATE OR REPLACE FUNCTION private.campaign_delivery_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF NEW.delivery IS DISTINCT FROM OLD.delivery THEN
    IF current_user = 'authenticated' AND NOT private.has_workspace_role(NEW.workspace_id, array['admin']) THEN
      RAISE EXCEPTION 'only an admin chooses how a campaign is delivered' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.launched_at IS NOT NULL THEN
      RAISE EXCEPTION 'a launched campaign keeps its delivery' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER campaigns_delivery_guard BEFORE UPDATE OF delivery ON public.campaigns
  FOR EACH ROW EXECUTE FUNCTION private.campaign_delivery_guard();--> statement-breakpoint
CREATE TRIGGER instantly_campaign_pushes_touch_updated_at BEFORE UPDATE ON public.instantly_campaign_pushes
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();
--> statement-breakpoint
-- The admin's launch writes the choice (the guard above refuses anyone else).
GRANT UPDATE (delivery) ON public.campaigns TO authenticated;
