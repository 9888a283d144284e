-- Things that happen once per database (lib/setup/milestones.ts): the demo data was seeded, the
-- first-run setup created the first admin. A row is the record; the primary key is what makes
-- "once" hold under concurrent starts and submissions. In `private`, which no API role can
-- read or write: only the service connection (launcher, setup) touches it.
CREATE TABLE IF NOT EXISTS private.installation_milestones (
  milestone text PRIMARY KEY CHECK (milestone IN ('demo_data_seeded', 'first_admin_created')),
  reached_at timestamptz NOT NULL DEFAULT now(),
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);--> statement-breakpoint
REVOKE ALL ON private.installation_milestones FROM public, anon, authenticated;--> statement-breakpoint

-- Any signed-in user may create a workspace and becomes its admin (lib/workspaces/create-workspace.ts).
-- Under RLS a user can neither insert a workspace nor make themselves a member of one, and must
-- not be able to (that is the escalation the policies stop); this function does exactly the
-- one allowed thing, for auth.uid() only, in the caller's transaction: the workspace, the
-- caller's profile if missing, and the caller as its admin.
CREATE OR REPLACE FUNCTION private.create_workspace(workspace_name text, workspace_slug text)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  creator uuid := (SELECT auth.uid());
  creator_email text := (SELECT auth.jwt() ->> 'email');
  new_workspace uuid;
BEGIN
  IF creator IS NULL THEN
    RAISE EXCEPTION 'only a signed-in user can create a workspace' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO public.workspaces (name, slug) VALUES (workspace_name, workspace_slug) RETURNING id INTO new_workspace;
  IF creator_email IS NOT NULL THEN
    INSERT INTO public.profiles (id, email) VALUES (creator, creator_email) ON CONFLICT (id) DO NOTHING;
  END IF;
  INSERT INTO public.workspace_members (workspace_id, user_id, role) VALUES (new_workspace, creator, 'admin');
  RETURN new_workspace;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.create_workspace(text, text) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.create_workspace(text, text) TO authenticated;
