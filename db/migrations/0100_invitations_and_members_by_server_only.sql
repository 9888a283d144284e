-- Invitations and memberships are written by the server only. An invitation's token proves
-- control of its address: whoever holds it can create the invitee's account (confirmed, with a
-- password of their choosing) and join as the invited role, which is why the app never shows
-- the link to the inviting admin (lib/invitations/invite-to-workspace.ts, DESIGN.md §11). But
-- the table's default grants let an admin's own token (the Data API) insert an invitation with
-- a token_hash of a token they chose, or rewrite an open one's: a working link for an address
-- they do not control. Likewise an admin's token could insert any user id as a member, with no
-- invitation (re-adding a removed member, and with them their API keys).
--
-- Now: an admin's token may only revoke an invitation (UPDATE of revoked_at). Invitations are
-- created through private.create_invitation, which the app calls inside the admin's transaction
-- with a token it generated (the private schema is not exposed through the Data API); it checks
-- a person calling it is an admin of the workspace, invites as them, and bounds the expiry (the
-- service connection, which has no person, is trusted as everywhere else). Members are
-- added only by the service connection (accepting an invitation, the first-run setup, the CLI).
REVOKE INSERT, UPDATE ON public.invitations FROM authenticated;--> statement-breakpoint
GRANT UPDATE (revoked_at) ON public.invitations TO authenticated;--> statement-breakpoint
REVOKE INSERT ON public.workspace_members FROM authenticated;--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.create_invitation(
  p_workspace_id uuid, p_email text, p_role public.workspace_role, p_token_hash text, p_expires_at timestamptz, p_invited_by uuid
)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  person uuid := (SELECT auth.uid());
  created uuid;
BEGIN
  IF person IS NOT NULL AND NOT private.has_workspace_role(p_workspace_id, array['admin']::text[]) THEN
    RAISE EXCEPTION 'only an admin of the workspace may invite to it' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Seven days (lib/invitations/token.ts), with a minute for the clocks of two machines.
  IF p_expires_at > now() + interval '7 days 1 minute' THEN
    RAISE EXCEPTION 'an invitation expires within seven days' USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO public.invitations (workspace_id, email, role, token_hash, invited_by, expires_at)
  VALUES (p_workspace_id, p_email, p_role, p_token_hash, coalesce(person, p_invited_by), p_expires_at)
  RETURNING id INTO created;
  RETURN created;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.create_invitation(uuid, text, public.workspace_role, text, timestamptz, uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.create_invitation(uuid, text, public.workspace_role, text, timestamptz, uuid) TO authenticated;
