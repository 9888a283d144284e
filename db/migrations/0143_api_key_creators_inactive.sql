-- Settings → API showed a key as Active while its creator's account was banned or deleted: every
-- request with it was refused (401 api_key_inactive, lib/api-keys/authenticate-api-key.ts), and
-- the admin looking at the list had no way to tell why. The accounts table is not readable by a
-- person's session, so this answers the one question the list needs, for an admin of the
-- workspace only: which of its keys act for an account that can no longer sign in.
CREATE OR REPLACE FUNCTION private.api_keys_of_inactive_creators(target_workspace uuid)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT k.id FROM public.api_keys k
  LEFT JOIN auth.users u ON u.id = k.created_by
  WHERE k.workspace_id = target_workspace
    AND private.has_workspace_role(target_workspace, array['admin']::text[])
    AND (u.id IS NULL OR u.deleted_at IS NOT NULL OR (u.banned_until IS NOT NULL AND u.banned_until > now()));
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION private.api_keys_of_inactive_creators(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.api_keys_of_inactive_creators(uuid) TO authenticated;
