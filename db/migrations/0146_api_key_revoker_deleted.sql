-- Deleting the account of a person who once revoked an API key failed: api_keys.revoked_by is
-- ON DELETE SET NULL, and 0104's guard refuses any change to a revoked key's columns, so the
-- delete (the auth admin API's, or an operator's) stopped with "API key … stays revoked". The
-- guard now lets revoked_by become null once that account is gone, which only the foreign key's
-- own action can do: nobody but the service role deletes accounts. The key stays revoked.
CREATE OR REPLACE FUNCTION private.api_key_revocation_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  person uuid := (SELECT auth.uid());
BEGIN
  IF OLD.revoked_at IS NOT NULL THEN
    IF NEW.revoked_at IS NOT DISTINCT FROM OLD.revoked_at AND NEW.revoked_by IS NULL AND OLD.revoked_by IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM auth.users u WHERE u.id = OLD.revoked_by) THEN
      RETURN NEW;
    END IF;
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
$$;
