-- Whether the API key a request acts with still works, asked just before a write made with it
-- commits (0123): now also whether its creator, whom it acts as, is still a member of its
-- workspace and neither banned nor deleted, as lib/api-keys/authenticate-api-key.ts asks when the
-- request arrives. A creator removed or banned while a slow body arrived otherwise still wrote:
-- the bulk upsert on the service connection, which RLS does not see, and a banned creator's
-- single writes, which RLS lets through (it knows members, not bans).
CREATE OR REPLACE FUNCTION private.api_key_still_active()
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT CASE WHEN c.k IS NULL THEN NULL ELSE EXISTS (
    SELECT 1 FROM public.api_keys a
    JOIN public.workspace_members m ON m.workspace_id = a.workspace_id AND m.user_id = a.created_by
    JOIN auth.users u ON u.id = a.created_by
    WHERE a.id::text = (c.k ->> 'id') AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now())
      AND u.deleted_at IS NULL AND (u.banned_until IS NULL OR u.banned_until <= now())
  ) END
  FROM (SELECT private.api_key_claim() AS k) c;
$$;
