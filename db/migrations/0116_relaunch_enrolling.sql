-- A launch is pending from the commit that sets the campaign running until its job has enrolled
-- the audience (campaigns.enrolled_at, set by the job's finish step): while it is null the campaign
-- cannot complete, and a launch job that fails for good pauses it (holdLaunch). The job's first
-- step cleared enrolled_at, so a relaunch (an edited campaign approved again and launched) kept
-- the last launch's date until then: a job failing before that step left its failure handler
-- nothing to hold (the campaign ran on without the new leads, nobody told), and the last
-- enrollment ending meanwhile completed the campaign before the new audience was enrolled. The
-- launch cannot clear it itself (people have no grant on it), so this trigger does, whoever sets
-- the campaign running from approved.
CREATE FUNCTION private.campaign_launch_enrolling()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  NEW.enrolled_at := NULL;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION private.campaign_launch_enrolling() FROM PUBLIC;--> statement-breakpoint
-- After campaigns_guard (triggers fire in name order), which refuses a move it does not allow.
CREATE TRIGGER campaigns_launch_enrolling BEFORE UPDATE OF status ON public.campaigns
  FOR EACH ROW WHEN (OLD.status = 'approved' AND NEW.status = 'running') EXECUTE FUNCTION private.campaign_launch_enrolling();
