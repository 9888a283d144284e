-- Revoking an API key is for good. The UPDATE grant on (revoked_at, revoked_by) let any admin's
-- own token (the Data API) set revoked_at back to null: a leaked key one admin had revoked came
-- back to life with no audit entry, and revoked_by could name someone else. Now a revoked key's
-- two columns never change again, and a person who revokes one is recorded as themselves, at the
-- database's time.
CREATE OR REPLACE FUNCTION private.api_key_revocation_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  person uuid := (SELECT auth.uid());
BEGIN
  IF OLD.revoked_at IS NOT NULL THEN
    IF NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.revoked_by IS DISTINCT FROM OLD.revoked_by THEN
      RAISE EXCEPTION 'API key % stays revoked', OLD.id USING ERRCODE = 'check_violation', HINT = 'Make a new key instead.';
    END IF;
  ELSIF NEW.revoked_at IS NOT NULL AND person IS NOT NULL THEN
    NEW.revoked_at := now();
    NEW.revoked_by := person;
  ELSIF NEW.revoked_by IS DISTINCT FROM OLD.revoked_by THEN
    RAISE EXCEPTION 'revoked_by is set only with revoked_at' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.api_key_revocation_guard() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER api_keys_revocation_guard BEFORE UPDATE OF revoked_at, revoked_by ON public.api_keys
  FOR EACH ROW EXECUTE FUNCTION private.api_key_revocation_guard();
