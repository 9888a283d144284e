-- Whether the API key a request acts with (its `api_key` claim, lib/api-keys/authenticate-api-key.ts)
-- is still neither revoked nor expired. The key is checked when the request arrives, but its body
-- (up to 2 MB of JSON, or a 50 MB CSV) may take minutes to arrive after that: a write made with
-- it asks again in its own transaction, just before committing, so that revoking a key stops
-- what it has not yet written. Only the caller's own key is answered for (no argument to probe
-- others with); a request without an API key gets null. SECURITY DEFINER: api_keys is an admin's
-- to read, and the key's role may be lower.
CREATE OR REPLACE FUNCTION private.api_key_still_active()
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT CASE WHEN c.k IS NULL THEN NULL ELSE EXISTS (
    SELECT 1 FROM public.api_keys a
    WHERE a.id::text = (c.k ->> 'id') AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now())
  ) END
  FROM (SELECT private.api_key_claim() AS k) c;
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION private.api_key_still_active() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.api_key_still_active() TO authenticated;
