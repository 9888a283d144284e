-- Who the caller shares a workspace with, as an array: for the profiles policy, written
-- `id = any ((select private.teammate_ids())::uuid[])` so that it runs once per statement (an
-- InitPlan) instead of private.shares_workspace_with once per profile row. The lead table's
-- owner names read the members' profiles on every page: 0.42 ms per page at 12 members with a
-- plpgsql call per row, measured with pg_stat_statements (issue 10).
CREATE OR REPLACE FUNCTION private.teammate_ids()
RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT coalesce(array_agg(DISTINCT theirs.user_id), '{}')
  FROM public.workspace_members mine
  JOIN public.workspace_members theirs ON theirs.workspace_id = mine.workspace_id
  WHERE mine.user_id = (SELECT auth.uid());
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.teammate_ids() FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.teammate_ids() TO authenticated, service_role;
