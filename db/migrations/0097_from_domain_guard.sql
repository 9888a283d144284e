-- The install sends every workspace's email through one provider account, which sends as
-- whatever From an identity names. A signed-in person may give an identity a From domain that
-- identities of other workspaces already send from only when they are an admin of every one of
-- those workspaces (a team with several workspaces); anyone else (an admin only of a workspace
-- they just created) could send as that company past its approvals, suppression list and audit
-- log. The service says so first (lib/sending-identities/from-domain.ts); this holds for any
-- writer with a user's token. Writes without one (jobs, seeds, the CLI on the service
-- connection) are trusted, as the campaign guard trusts them. SECURITY DEFINER: the other
-- workspaces' identities are what RLS hides from the person.
CREATE OR REPLACE FUNCTION private.sending_identity_from_domain_guard()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  domain text := lower(split_part(NEW.from_email, '@', 2));
  person uuid := (SELECT auth.uid());
BEGIN
  IF person IS NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.workspace_id = NEW.workspace_id AND lower(split_part(OLD.from_email, '@', 2)) = domain THEN
    RETURN NEW;
  END IF;
  -- Two workspaces taking up a new domain at the same moment take turns.
  PERFORM pg_advisory_xact_lock(hashtextextended('sending-domain:' || domain, 0));
  IF EXISTS (
    SELECT 1 FROM public.sending_identities si
    WHERE si.workspace_id <> NEW.workspace_id AND lower(split_part(si.from_email, '@', 2)) = domain
      AND NOT EXISTS (
        SELECT 1 FROM public.workspace_members m
        WHERE m.workspace_id = si.workspace_id AND m.user_id = person AND m.role = 'admin')
  ) THEN
    RAISE EXCEPTION 'from_domain_taken: % is already used to send by another workspace', domain
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.sending_identity_from_domain_guard() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER sending_identities_from_domain_guard BEFORE INSERT OR UPDATE OF from_email, workspace_id
  ON public.sending_identities FOR EACH ROW EXECUTE FUNCTION private.sending_identity_from_domain_guard();
