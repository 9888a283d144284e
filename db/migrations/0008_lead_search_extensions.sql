-- Trigram search (pg_trgm) and uuid/text columns inside GIN indexes (btree_gin), in the
-- `extensions` schema as on hosted Supabase. Indexes name the operator classes with their
-- schema, so nothing depends on search_path.
CREATE SCHEMA IF NOT EXISTS extensions;--> statement-breakpoint
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA extensions;--> statement-breakpoint

-- Membership as arrays, for policies on large tables. A policy written
-- `workspace_id = any ((select private.member_workspace_ids())::uuid[])` is planned as an InitPlan:
-- the helper runs once per statement and each row costs one array comparison, where
-- `private.is_workspace_member(workspace_id)` runs a plpgsql function per row scanned
-- (thousands of calls for a count or a filtered scan of the leads table).
CREATE OR REPLACE FUNCTION private.member_workspace_ids()
RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT coalesce(array_agg(m.workspace_id), '{}')
  FROM public.workspace_members m
  WHERE m.user_id = (SELECT auth.uid());
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.workspace_ids_with_role(allowed_roles text[])
RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT coalesce(array_agg(m.workspace_id), '{}')
  FROM public.workspace_members m
  WHERE m.user_id = (SELECT auth.uid()) AND m.role::text = ANY (allowed_roles);
$$;--> statement-breakpoint

REVOKE ALL ON FUNCTION private.member_workspace_ids(), private.workspace_ids_with_role(text[]) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.member_workspace_ids(), private.workspace_ids_with_role(text[]) TO authenticated, service_role;
