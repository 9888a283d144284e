-- Revoking an invitation is for good, as revoking an API key is (0104). An admin's token may
-- update an invitation's revoked_at (0100), and could set it back to null: an invitation
-- revoked by hand, or with the admin who sent it when they were removed or demoted
-- (lib/invitations/revoke-invitation.ts), came back to life with no audit entry. Now a person
-- who revokes one records the database's time, and a revoked invitation stays revoked.
CREATE OR REPLACE FUNCTION private.invitation_revocation_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL THEN
    IF NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
      RAISE EXCEPTION 'invitation % stays revoked', OLD.id USING ERRCODE = 'check_violation', HINT = 'Invite the person again instead.';
    END IF;
  ELSIF NEW.revoked_at IS NOT NULL AND (SELECT auth.uid()) IS NOT NULL THEN
    NEW.revoked_at := now();
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.invitation_revocation_guard() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER invitations_revocation_guard BEFORE UPDATE OF revoked_at ON public.invitations
  FOR EACH ROW EXECUTE FUNCTION private.invitation_revocation_guard();
