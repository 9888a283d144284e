-- A person's token (the Data API) could set an import's status and counts to anything its
-- update policy's row allowed: flipping a completed import to running and back sent
-- `import.completed` to the workspace's webhooks again each time (0059's trigger), and counts
-- or the file's details could be rewritten after the fact. People move an import only as the
-- controls do (lib/imports/control-import.ts): start (mapping → queued, with its plan), pause
-- (queued or running → paused), resume (paused → queued) and cancel (queued, running or paused
-- → cancelled, finished now). Everything else is the job's, on the service connection.
CREATE OR REPLACE FUNCTION private.lead_imports_person_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  people_write constant text[] := array['status', 'preset', 'mapping', 'rules', 'error', 'finished_at', 'updated_at'];
BEGIN
  IF NOT (
    (OLD.status = 'mapping' AND NEW.status = 'queued')
    OR (OLD.status IN ('queued', 'running') AND NEW.status = 'paused')
    OR (OLD.status = 'paused' AND NEW.status = 'queued')
    OR (OLD.status IN ('queued', 'running', 'paused') AND NEW.status = 'cancelled')
  ) THEN
    RAISE EXCEPTION 'an import moves from % to % only by its job', OLD.status, NEW.status USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - people_write) IS DISTINCT FROM (to_jsonb(OLD) - people_write)
      OR (OLD.status <> 'mapping' AND (NEW.preset, NEW.mapping, NEW.rules) IS DISTINCT FROM (OLD.preset, OLD.mapping, OLD.rules))
      OR (NEW.error IS DISTINCT FROM OLD.error AND NEW.error IS NOT NULL) THEN
    RAISE EXCEPTION 'an import''s plan is set when it starts, and its progress only by its job' USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.finished_at := CASE WHEN NEW.status = 'cancelled' THEN now() ELSE OLD.finished_at END;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER lead_imports_person_guard BEFORE UPDATE ON public.lead_imports
  FOR EACH ROW WHEN (current_user = 'authenticated') EXECUTE FUNCTION private.lead_imports_person_guard();
--> statement-breakpoint
REVOKE ALL ON FUNCTION private.lead_imports_person_guard() FROM PUBLIC;
