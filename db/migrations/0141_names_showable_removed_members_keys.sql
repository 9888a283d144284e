-- Names show as typed (lib/text/showable.ts): a workspace's and an API key's name hold no control
-- character, line separator or bidirectional control, whoever writes them. The forms refuse them,
-- but an admin's own session (Supabase's Data API) could still write one directly, and a name
-- holding a terminal's escape sequences reached the operator's CLI or read backwards on screen.
-- NOT VALID: rows written before are left as they are (the CLI prints them escaped).
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_name_showable" CHECK ("workspaces"."name" !~ '[\x01-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]') NOT VALID;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_name_showable" CHECK ("api_keys"."name" !~ '[\x01-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]') NOT VALID;--> statement-breakpoint

-- A member removed from a workspace has every API key they made there revoked, each with its
-- audit entry, however the membership goes (Team settings, or an admin's own session deleting
-- the row directly). A key acts as its creator, so it stopped working with the removal, but only
-- until they were added back. A workspace being deleted takes its keys and its audit log with it.
CREATE OR REPLACE FUNCTION private.workspace_members_revoke_keys()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = OLD.workspace_id) THEN
    RETURN NULL;
  END IF;
  WITH revoked AS (
    UPDATE public.api_keys k SET revoked_at = now(), revoked_by = auth.uid()
    WHERE k.workspace_id = OLD.workspace_id AND k.created_by = OLD.user_id AND k.revoked_at IS NULL
    RETURNING k.id, k.name
  )
  INSERT INTO public.audit_log (workspace_id, actor_id, action, target_type, target_id, metadata)
  SELECT OLD.workspace_id, auth.uid(), 'api_key.revoked', 'api_key', r.id::text,
    jsonb_build_object('name', r.name, 'reason', 'creator removed from the workspace')
  FROM revoked r;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.workspace_members_revoke_keys() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER workspace_members_revoke_keys AFTER DELETE ON public.workspace_members
  FOR EACH ROW EXECUTE FUNCTION private.workspace_members_revoke_keys();
