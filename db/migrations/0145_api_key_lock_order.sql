-- Two mends of 0142 and 0143, found in review.
--
-- The pre-commit check of a write made with an API key locked the key's row, then its creator's
-- account. Deleting the account (the auth admin API's hard delete, or SQL) locks the account
-- first and then, through the cascade, the key: each waited for the other and PostgreSQL aborted
-- the write as a deadlock (a 500, not the refusal). The account is now locked first, as the
-- delete does; a revoke and a ban each lock only one of the two rows, so no order of them can
-- deadlock with the check.
CREATE OR REPLACE FUNCTION private.api_key_still_active()
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  claim jsonb := private.api_key_claim();
BEGIN
  IF claim IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM auth.users u
    WHERE u.id = (SELECT a.created_by FROM public.api_keys a WHERE a.id::text = (claim ->> 'id'))
    FOR SHARE;
  -- Under READ COMMITTED a row locked by a committing change is read again as that change left
  -- it, and the conditions are applied again to it.
  PERFORM 1 FROM public.api_keys a
    JOIN public.workspace_members m ON m.workspace_id = a.workspace_id AND m.user_id = a.created_by
    JOIN auth.users u ON u.id = a.created_by
    WHERE a.id::text = (claim ->> 'id') AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now())
      AND u.deleted_at IS NULL AND (u.banned_until IS NULL OR u.banned_until <= now())
    FOR SHARE OF a;
  RETURN FOUND;
END;
$$;--> statement-breakpoint
-- Settings → API's inactive keys (0143) also counted only suspended and deleted accounts. A key
-- whose creator left the workspace before 0141 (which revokes such keys since) is neither
-- revoked nor answered for: authentication refuses it (api_key_inactive), and the list showed it
-- as Active. Now a creator who is no longer a member makes the key inactive too.
CREATE OR REPLACE FUNCTION private.api_keys_of_inactive_creators(target_workspace uuid)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT k.id FROM public.api_keys k
  LEFT JOIN auth.users u ON u.id = k.created_by
  WHERE k.workspace_id = target_workspace
    AND private.has_workspace_role(target_workspace, array['admin']::text[])
    AND (u.id IS NULL OR u.deleted_at IS NOT NULL OR (u.banned_until IS NOT NULL AND u.banned_until > now())
      OR NOT EXISTS (SELECT 1 FROM public.workspace_members m WHERE m.workspace_id = k.workspace_id AND m.user_id = k.created_by));
$$;
