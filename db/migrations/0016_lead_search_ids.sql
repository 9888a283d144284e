-- The lead search under RLS. LIKE is not leakproof, so on a table with row-level security
-- PostgreSQL will not use it as an index condition (it could reveal rows the policy hides):
-- the trigram index went unused and a rare word meant reading every lead of the workspace.
-- This helper runs the search itself (SECURITY DEFINER, so the trigram index applies), only in a
-- workspace the caller belongs to, and returns ids; the caller's query still runs under RLS.
-- `patterns` are LIKE patterns ('%word%', wildcards escaped), the most selective first: the
-- first is answered by the index, the rest filter its rows.
CREATE OR REPLACE FUNCTION private.search_lead_ids(ws uuid, patterns text[])
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' ROWS 1000
AS $$
  SELECT l.id FROM public.leads l
  WHERE ws = ANY (private.member_workspace_ids())
    AND l.workspace_id = ws
    AND l.search_text LIKE patterns[1]
    AND l.search_text LIKE ALL (patterns);
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.search_lead_ids(uuid, text[]) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.search_lead_ids(uuid, text[]) TO authenticated, service_role;
