-- The second half of a campaign stop, in the stop's own transaction (issue 13): every active
-- enrollment of the stopped campaign ends with campaign_stopped and the campaign records when it
-- finished. Done after the commit, a process that died in between left a stopped campaign with
-- active enrollments for ever. SECURITY DEFINER: people hold no UPDATE on enrollments nor on
-- finished_at. It acts only on a campaign that IS stopped (the caller's own update, seen in its
-- transaction) and, for a person, only as an admin of its workspace, so it can do nothing the
-- stop itself has not already decided.
CREATE OR REPLACE FUNCTION private.finish_campaign_stop(target_campaign uuid)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  target_workspace uuid;
  ended integer;
BEGIN
  SELECT c.workspace_id INTO target_workspace FROM public.campaigns c WHERE c.id = target_campaign AND c.status = 'stopped';
  IF target_workspace IS NULL THEN
    RAISE EXCEPTION 'only a stopped campaign''s enrollments end with its stop' USING ERRCODE = 'check_violation';
  END IF;
  IF (SELECT auth.uid()) IS NOT NULL AND NOT private.has_workspace_role(target_workspace, array['admin']) THEN
    RAISE EXCEPTION 'only an admin stops a campaign' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public.campaign_enrollments e
  SET status = 'stopped', end_cause = 'campaign_stopped', stop_reason = 'The campaign was stopped.',
    next_send_at = NULL, finished_at = now()
  WHERE e.campaign_id = target_campaign AND e.workspace_id = target_workspace AND e.status = 'active';
  GET DIAGNOSTICS ended = ROW_COUNT;
  UPDATE public.campaigns c SET finished_at = coalesce(c.finished_at, now()) WHERE c.id = target_campaign;
  RETURN ended;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.finish_campaign_stop(uuid) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.finish_campaign_stop(uuid) TO authenticated, service_role;
