-- A launched campaign keeps its launch time for good. launched_at is among the columns users may
-- write (the launch runs as the admin who launches), and the delete policy of migration 0022
-- allows a draft never launched: a sales rep could take their own running campaign back to
-- draft (any content change does), clear launched_at and delete it, and with it its sent
-- emails, enrollments and the admin's approval record. The app sets launched_at once
-- (coalesce, lib/campaigns/lifecycle/launch-campaign.ts) and never clears it.
CREATE FUNCTION private.campaign_launch_kept()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF OLD.launched_at IS NOT NULL AND NEW.launched_at IS DISTINCT FROM OLD.launched_at THEN
    RAISE EXCEPTION 'campaign %: a launched campaign keeps its launch time', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION private.campaign_launch_kept() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER campaigns_launch_kept BEFORE UPDATE OF launched_at ON public.campaigns
  FOR EACH ROW EXECUTE FUNCTION private.campaign_launch_kept();
