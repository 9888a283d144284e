-- The check a write made with an API key makes just before it commits (0123, 0132) now locks
-- what it reads: the key's row and its creator's account, FOR SHARE. Read without a lock, a
-- revoke (or a ban, or the member's removal, which revokes their keys: 0141) committing in the
-- same milliseconds was not seen, and the write committed after it. Now the check waits for such
-- a change and reads the key as it left it; a revoke that comes after the check waits for the
-- write's commit instead, so every write lands wholly before a revoke or not at all.
-- plpgsql and VOLATILE: a locking read is not allowed in a STABLE function.
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
  -- Under READ COMMITTED a row locked by a committing change is read again as that change left
  -- it, and the conditions are applied again to it.
  PERFORM 1 FROM public.api_keys a
    JOIN public.workspace_members m ON m.workspace_id = a.workspace_id AND m.user_id = a.created_by
    JOIN auth.users u ON u.id = a.created_by
    WHERE a.id::text = (claim ->> 'id') AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now())
      AND u.deleted_at IS NULL AND (u.banned_until IS NULL OR u.banned_until <= now())
    FOR SHARE OF a, u;
  RETURN FOUND;
END;
$$;
