-- A variant's step is one of the variant's own campaign. RLS lets an editor write a variant when
-- they may edit its campaign_id; with a step foreign key of its own, a sales rep could hang a
-- variant of their draft on a step of an admin's running campaign: that campaign's content (read
-- by step) changed without its return to draft, its sends then stopped as "content changed", and
-- an approval of it would have sent the rep's text. Variants so attached (none are made by the
-- app) are removed first: they belong to no campaign's editor.
DELETE FROM "campaign_step_variants" v USING "campaign_steps" s
  WHERE s."id" = v."step_id" AND s."campaign_id" <> v."campaign_id";--> statement-breakpoint
ALTER TABLE "campaign_steps" ADD CONSTRAINT "campaign_steps_workspace_campaign_id_key" UNIQUE("workspace_id","campaign_id","id");--> statement-breakpoint
ALTER TABLE "campaign_step_variants" DROP CONSTRAINT "campaign_step_variants_step_fkey";--> statement-breakpoint
ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "campaign_step_variants_step_fkey" FOREIGN KEY ("workspace_id","campaign_id","step_id") REFERENCES "public"."campaign_steps"("workspace_id","campaign_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

-- A step or an identity link moved from one campaign to another changes both campaigns' content:
-- the guard now re-checks the one it left as well as the one it joined.
CREATE OR REPLACE FUNCTION private.campaign_content_touched()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  UPDATE public.campaigns c SET updated_at = c.updated_at
  WHERE c.id IN (
      CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.campaign_id END,
      CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.campaign_id END)
    AND c.status IN ('pending_approval', 'approved', 'running', 'paused');
  RETURN NULL;
END;
$$;
