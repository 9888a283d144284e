-- Invariants of workspace membership that hold whoever writes, service or user.

-- Members' user and workspace never change: an admin changes a role, or removes and invites.
REVOKE UPDATE ON public.workspace_members FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (role, updated_at) ON public.workspace_members TO authenticated;--> statement-breakpoint

-- A workspace always keeps an admin. Checked at commit (deferred), so a transaction may
-- promote one admin and demote another in either order; deleting the whole workspace
-- (which cascades to its members) is allowed. SECURITY DEFINER because the member who just
-- removed themselves can no longer see the workspace's members under RLS.
CREATE OR REPLACE FUNCTION private.assert_workspace_keeps_an_admin()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF OLD.role = 'admin'
     AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = OLD.workspace_id)
     AND NOT EXISTS (
       SELECT 1 FROM public.workspace_members m WHERE m.workspace_id = OLD.workspace_id AND m.role = 'admin'
     ) THEN
    RAISE EXCEPTION 'workspace % would be left without an admin', OLD.workspace_id
      USING ERRCODE = 'check_violation', HINT = 'Make another member an admin first.';
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint

REVOKE ALL ON FUNCTION private.assert_workspace_keeps_an_admin() FROM public;--> statement-breakpoint

CREATE CONSTRAINT TRIGGER workspace_members_keep_an_admin
  AFTER UPDATE OF role OR DELETE ON public.workspace_members
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION private.assert_workspace_keeps_an_admin();
