-- Notifications are written by the server only. The insert policy let any member's own token
-- (the Data API) put a notification of any kind, title and in-app link in any colleague's bell,
-- pushed live to them: a viewer, who can cause none through the app, could tell every admin that
-- a campaign "is waiting for your approval" with a link of their choosing, as often as they liked.
-- Now the app inserts them through private.insert_notifications (not exposed through the Data
-- API), which keeps the policy's rules for a person's transaction: they act as themselves, in a
-- workspace of theirs, towards its members. The service connection (jobs, webhooks) is trusted.
REVOKE INSERT ON public.notifications FROM authenticated;--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.insert_notifications(p_rows jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  person uuid := (SELECT auth.uid());
BEGIN
  IF person IS NOT NULL AND EXISTS (
    SELECT 1 FROM jsonb_to_recordset(p_rows) AS r(workspace_id uuid, user_id uuid, actor_id uuid)
    WHERE r.actor_id IS DISTINCT FROM person
       OR NOT private.is_workspace_member(r.workspace_id)
       OR NOT EXISTS (SELECT 1 FROM public.workspace_members m WHERE m.workspace_id = r.workspace_id AND m.user_id = r.user_id)
  ) THEN
    RAISE EXCEPTION 'a member notifies members of their own workspace, as themselves' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO public.notifications (id, workspace_id, user_id, actor_id, kind, title, body, link, subject_id)
  SELECT r.id, r.workspace_id, r.user_id, r.actor_id, r.kind, r.title, r.body, r.link, r.subject_id
  FROM jsonb_to_recordset(p_rows) AS r(id uuid, workspace_id uuid, user_id uuid, actor_id uuid, kind public.notification_kind,
    title text, body text, link text, subject_id uuid);
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.insert_notifications(jsonb) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.insert_notifications(jsonb) TO authenticated;
