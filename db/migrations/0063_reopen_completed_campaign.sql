-- A campaign completes when its last enrollment ends; when that end was a reply later read as an
-- absence notice (out of office), the sequence resumes after the return date, and the campaign
-- must run again for its send steps to go out. The only change to the 0034 guard: a completed
-- campaign may move back to running, on the service connection only (lib/campaigns/lifecycle/
-- reopen-campaign.ts; people cannot), still only with its approved content.
CREATE OR REPLACE FUNCTION private.campaign_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  content_hash text := private.campaign_content_hash_of(NEW);
  by_user boolean := current_user = 'authenticated';
  by_admin boolean := private.has_workspace_role(NEW.workspace_id, array['admin']);
BEGIN
  IF NEW.workspace_id <> OLD.workspace_id THEN
    RAISE EXCEPTION 'a campaign cannot move to another workspace' USING ERRCODE = 'check_violation';
  END IF;

  IF by_user AND NOT by_admin AND (NEW.approved_content_hash, NEW.approved_by, NEW.approved_at, NEW.approval_id)
      IS DISTINCT FROM (OLD.approved_content_hash, OLD.approved_by, OLD.approved_at, OLD.approval_id) THEN
    RAISE EXCEPTION 'only an admin records an approval' USING ERRCODE = 'insufficient_privilege';
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
