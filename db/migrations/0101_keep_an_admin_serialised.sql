-- A workspace always keeps an admin (0004), checked at commit. Two transactions demoting (or
-- removing) the workspace's last two admins at the same moment touched different rows, so
-- neither waited for the other, and each check still saw the other's admin as it was before
-- the other's uncommitted change: both committed, leaving nobody to manage the team. The app's
-- own path locks the admin rows first (lib/team/member-guards.ts); this holds for any writer.
-- The checks of one workspace now take turns (a transaction-level advisory lock, held until its
-- commit): the second one reads, in a statement of its own, what the first committed.
CREATE OR REPLACE FUNCTION private.assert_workspace_keeps_an_admin()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF OLD.role = 'admin' THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('workspace-admins:' || OLD.workspace_id::text, 0));
    IF EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = OLD.workspace_id)
       AND NOT EXISTS (
         SELECT 1 FROM public.workspace_members m WHERE m.workspace_id = OLD.workspace_id AND m.role = 'admin'
       ) THEN
      RAISE EXCEPTION 'workspace % would be left without an admin', OLD.workspace_id
        USING ERRCODE = 'check_violation', HINT = 'Make another member an admin first.';
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
