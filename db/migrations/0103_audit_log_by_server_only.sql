-- The audit log is written by the server only. Its insert policy let any member's own token (the
-- Data API) add entries as themselves with any action, target and metadata, and choose their
-- created_at: a viewer could write "campaign.approved" into the history admins read, backdate
-- it, or bury the real entries under any number of rows. The app writes entries through
-- private.record_audit (not exposed through the Data API), which keeps the policy's rule for a
-- person (as themselves, in a workspace of theirs) and takes the time from the database.
REVOKE INSERT ON public.audit_log FROM authenticated;--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.record_audit(
  p_workspace_id uuid, p_actor_id uuid, p_action text, p_target_type text, p_target_id text, p_metadata jsonb
)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  person uuid := (SELECT auth.uid());
BEGIN
  IF person IS NOT NULL AND (p_actor_id IS DISTINCT FROM person OR NOT private.is_workspace_member(p_workspace_id)) THEN
    RAISE EXCEPTION 'a member records their own acts in a workspace of theirs' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO public.audit_log (workspace_id, actor_id, action, target_type, target_id, metadata)
  VALUES (p_workspace_id, p_actor_id, p_action, p_target_type, p_target_id, p_metadata);
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.record_audit(uuid, uuid, text, text, text, jsonb) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.record_audit(uuid, uuid, text, text, text, jsonb) TO authenticated;
