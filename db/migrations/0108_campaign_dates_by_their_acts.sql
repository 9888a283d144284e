-- The columns that record a campaign's acts (submitted_at/by, launched_at, the pause's reason,
-- time, author and cause) are in the grant of a person's token, because the app writes them in
-- the person's transaction. So through the Data API any editor could rewrite them at any time:
-- say a teammate submitted it, date a launch that never happened, or pass an admin's pause
-- off as the bounce breaker's (the home page lists those) with another reason and author. Now the guard writes them itself when the act happens
-- (submit: now, by the person; launch or resume: the first launch's time kept, the pause
-- cleared; pause: now, by the person, cause manual) and refuses them at any other time. The
-- rest of the guard is 0063's, unchanged; the service connection (the breaker, a held launch)
-- writes its own pauses as before.
CREATE OR REPLACE FUNCTION private.campaign_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  content_hash text := private.campaign_content_hash_of(NEW);
  by_user boolean := current_user = 'authenticated';
  by_admin boolean := private.has_workspace_role(NEW.workspace_id, array['admin']);
  moving_to text := CASE WHEN NEW.status IS DISTINCT FROM OLD.status THEN NEW.status::text END;
BEGIN
  IF NEW.workspace_id <> OLD.workspace_id THEN
    RAISE EXCEPTION 'a campaign cannot move to another workspace' USING ERRCODE = 'check_violation';
  END IF;

  IF by_user AND NOT by_admin AND (NEW.approved_content_hash, NEW.approved_by, NEW.approved_at, NEW.approval_id)
      IS DISTINCT FROM (OLD.approved_content_hash, OLD.approved_by, OLD.approved_at, OLD.approval_id) THEN
    RAISE EXCEPTION 'only an admin records an approval' USING ERRCODE = 'insufficient_privilege';
  END IF;

  -- What records an act records it as the act happens, by whoever does it (0108).
  IF by_user THEN
    IF moving_to = 'pending_approval' THEN
      NEW.submitted_at := now();
      NEW.submitted_by := (SELECT auth.uid());
    ELSIF (NEW.submitted_at, NEW.submitted_by) IS DISTINCT FROM (OLD.submitted_at, OLD.submitted_by) THEN
      RAISE EXCEPTION 'a campaign''s submission is recorded when it is submitted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF moving_to = 'running' THEN
      NEW.launched_at := coalesce(OLD.launched_at, now());
      NEW.pause_reason := NULL;
      NEW.paused_at := NULL;
      NEW.paused_by := NULL;
      NEW.pause_cause := NULL;
    ELSIF OLD.launched_at IS NULL AND NEW.launched_at IS NOT NULL THEN
      -- (A launch time once set is kept by 0093's trigger, for everyone.)
      RAISE EXCEPTION 'a campaign''s launch is recorded when it is launched' USING ERRCODE = 'insufficient_privilege';
    ELSIF moving_to = 'paused' THEN
      NEW.paused_at := now();
      NEW.paused_by := (SELECT auth.uid());
      NEW.pause_cause := 'manual';
    ELSIF (NEW.pause_reason, NEW.paused_at, NEW.paused_by, NEW.pause_cause)
        IS DISTINCT FROM (OLD.pause_reason, OLD.paused_at, OLD.paused_by, OLD.pause_cause) THEN
      RAISE EXCEPTION 'a campaign''s pause is recorded when it is paused' USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;

  IF NEW.status IS DISTINCT FROM OLD.status THEN
    CASE NEW.status
      WHEN 'draft' THEN
        IF OLD.status IN ('completed', 'stopped') THEN
          RAISE EXCEPTION 'a finished campaign cannot return to draft' USING ERRCODE = 'check_violation';
        END IF;
      WHEN 'pending_approval' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION 'only a draft can be submitted' USING ERRCODE = 'check_violation';
        END IF;
        NEW.submitted_content_hash := content_hash;
      WHEN 'approved' THEN
        IF OLD.status <> 'pending_approval' THEN
          RAISE EXCEPTION 'only a submitted campaign can be approved' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND (NOT by_admin OR NEW.approved_by IS DISTINCT FROM (SELECT auth.uid())) THEN
          RAISE EXCEPTION 'only an admin approves a campaign, as themself' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.approved_content_hash IS DISTINCT FROM content_hash THEN
          RAISE EXCEPTION 'campaign_changed: the approved hash is not the campaign''s content' USING ERRCODE = 'check_violation';
        END IF;
      WHEN 'running' THEN
        IF OLD.status = 'completed' THEN
          IF by_user THEN
            RAISE EXCEPTION 'a completed campaign runs again only when one of its sequences is resumed' USING ERRCODE = 'check_violation';
          END IF;
        ELSIF OLD.status NOT IN ('approved', 'paused') THEN
          RAISE EXCEPTION 'only an approved or paused campaign can run' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND NOT by_admin THEN
          RAISE EXCEPTION 'only an admin launches or resumes a campaign' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.approved_content_hash IS DISTINCT FROM content_hash THEN
          RAISE EXCEPTION 'campaign_changed: the content is not the approved content' USING ERRCODE = 'check_violation';
        END IF;
      WHEN 'paused' THEN
        IF OLD.status <> 'running' THEN
          RAISE EXCEPTION 'only a running campaign can be paused' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND NOT by_admin THEN
          RAISE EXCEPTION 'only an admin pauses a campaign' USING ERRCODE = 'insufficient_privilege';
        END IF;
      WHEN 'stopped' THEN
        IF OLD.status NOT IN ('approved', 'running', 'paused')
            AND NOT (OLD.status IN ('draft', 'pending_approval') AND OLD.launched_at IS NOT NULL) THEN
          RAISE EXCEPTION 'only a launched or approved campaign can be stopped' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND NOT by_admin THEN
          RAISE EXCEPTION 'only an admin stops a campaign' USING ERRCODE = 'insufficient_privilege';
        END IF;
      WHEN 'completed' THEN
        IF OLD.status NOT IN ('running', 'paused') OR by_user THEN
          RAISE EXCEPTION 'a campaign completes when its last enrollment finishes' USING ERRCODE = 'check_violation';
        END IF;
    END CASE;
  ELSIF OLD.status = 'pending_approval' AND content_hash IS DISTINCT FROM OLD.submitted_content_hash THEN
    NEW.status := 'draft';
  ELSIF OLD.status IN ('approved', 'running', 'paused') AND content_hash IS DISTINCT FROM OLD.approved_content_hash THEN
    NEW.status := 'draft';
  END IF;
  RETURN NEW;
END;
$$;
