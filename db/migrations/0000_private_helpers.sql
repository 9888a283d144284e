-- Membership helpers for RLS policies. SECURITY DEFINER so that a policy on
-- workspace_members can consult workspace_members without recursing into its own policy;
-- search_path is pinned empty so every name below is schema-qualified and cannot be hijacked.
-- plpgsql bodies are checked at call time, so these can precede the tables they read.
CREATE SCHEMA IF NOT EXISTS private;--> statement-breakpoint
REVOKE ALL ON SCHEMA private FROM public;--> statement-breakpoint
GRANT USAGE ON SCHEMA private TO authenticated, service_role;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.is_workspace_member(target_workspace uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM public.workspace_members m
    WHERE m.workspace_id = target_workspace AND m.user_id = (SELECT auth.uid())
  );
END;
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.has_workspace_role(target_workspace uuid, allowed_roles text[])
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM public.workspace_members m
    WHERE m.workspace_id = target_workspace
      AND m.user_id = (SELECT auth.uid())
      AND m.role::text = ANY (allowed_roles)
  );
END;
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.shares_workspace_with(other_user uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
    FROM public.workspace_members mine
    JOIN public.workspace_members theirs ON theirs.workspace_id = mine.workspace_id
    WHERE mine.user_id = (SELECT auth.uid()) AND theirs.user_id = other_user
  );
END;
$$;--> statement-breakpoint

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA private FROM public;--> statement-breakpoint
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA private TO authenticated, service_role;
