-- An approval or rejection records the content it decided on (what the campaign page diffs
-- against and the review shows) and that content's hash. Through an admin's token (the Data
-- API) the row could say anything: a content other than the hashed one, or another date, so
-- the record of what was approved could be made to differ from what was. A decision a person
-- records now takes the campaign's content as the database reads it (private.campaign_content,
-- as the app does), must carry its hash, and is dated now.
CREATE OR REPLACE FUNCTION private.campaign_approvals_record_content()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  c public.campaigns;
BEGIN
  SELECT * INTO c FROM public.campaigns WHERE id = NEW.campaign_id AND workspace_id = NEW.workspace_id;
  IF NOT FOUND THEN
    RETURN NEW; -- Not a campaign this person sees: the policy and the foreign key refuse the row.
  END IF;
  IF NEW.content_hash IS DISTINCT FROM private.campaign_content_hash_of(c) THEN
    RAISE EXCEPTION 'campaign_changed: a decision is recorded for the campaign''s content as it is' USING ERRCODE = 'check_violation';
  END IF;
  NEW.content := private.campaign_content(c);
  NEW.decided_at := now();
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.campaign_approvals_record_content() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER campaign_approvals_record_content BEFORE INSERT ON public.campaign_approvals
  FOR EACH ROW WHEN (current_user = 'authenticated') EXECUTE FUNCTION private.campaign_approvals_record_content();
