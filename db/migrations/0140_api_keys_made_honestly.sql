-- An API key made by a person is made as Settings → API makes it (lib/api-keys/manage-api-keys.ts):
-- dated now, never used, and with its "api_key.created" entry in the audit log by the end of the
-- transaction. The admins' insert policy (0054) let an admin's own session (Supabase's Data API)
-- insert a key row directly: backdated, with a made-up last use, and with nothing in the audit
-- log, though every key is meant to be attributable. The service connection (migrations, the
-- CLI, fixtures) has no session user and is left as it was.
CREATE OR REPLACE FUNCTION private.api_keys_dated_now()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF auth.uid() IS NOT NULL THEN
    NEW.created_at := now();
    NEW.last_used_at := NULL;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.api_keys_dated_now() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER api_keys_dated_now BEFORE INSERT ON public.api_keys
  FOR EACH ROW EXECUTE FUNCTION private.api_keys_dated_now();--> statement-breakpoint

-- SECURITY DEFINER: the audit log is not readable by every admin's session as a whole.
CREATE OR REPLACE FUNCTION private.api_keys_audited()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM public.audit_log a
    WHERE a.workspace_id = NEW.workspace_id AND a.action = 'api_key.created' AND a.target_id = NEW.id::text
  ) THEN
    RAISE EXCEPTION 'an API key is made in Settings → API, which records it in the audit log' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.api_keys_audited() FROM PUBLIC;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER api_keys_audited AFTER INSERT ON public.api_keys DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (auth.uid() IS NOT NULL) EXECUTE FUNCTION private.api_keys_audited();
