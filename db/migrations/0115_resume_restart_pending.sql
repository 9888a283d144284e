-- A resume restarts a campaign's active enrollments in batches (inngest/functions/campaigns/
-- resume-campaign.ts); the pause before it cancelled their runs. If it fails for good, its failure
-- handler pauses the campaign ("paused itself"), and that handler can be replayed from the Jobs
-- page at any time: after a later resume had restarted everyone, the replay paused a healthy
-- running campaign again. pending_restart says whether a restart is still owed: set here, when the
-- campaign is set running again, whoever does it; taken anew by the resume job as it begins and
-- cleared by it once every enrollment's run was started, unless another resume was asked for
-- meanwhile (the id is no longer its own). holdLaunch pauses for a failed resume only while it is
-- set. Written by this trigger and the jobs (the service connection) only: no grant to users.
ALTER TABLE "campaigns" ADD COLUMN "pending_restart" uuid;--> statement-breakpoint
CREATE FUNCTION private.campaign_restart_pending()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF NEW.status = 'running' AND OLD.status IN ('paused', 'approved') AND OLD.launched_at IS NOT NULL
      AND NEW.delivery = 'resend' THEN
    -- A resume, or a relaunch after an edit: the resume job restarts every active enrollment. (Not
    -- the first launch, which enrolls; not a completed campaign reopened by one sequence; not a
    -- campaign sent through Instantly, which resumes it there.)
    NEW.pending_restart := gen_random_uuid();
  ELSIF NEW.status IN ('completed', 'stopped') THEN
    -- Finished: no enrollment is left to restart.
    NEW.pending_restart := NULL;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION private.campaign_restart_pending() FROM PUBLIC;--> statement-breakpoint
-- After campaigns_guard (triggers fire in name order), which refuses a move it does not allow.
CREATE TRIGGER campaigns_restart_pending BEFORE UPDATE OF status ON public.campaigns
  FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status) EXECUTE FUNCTION private.campaign_restart_pending();
