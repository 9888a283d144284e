-- The time an import spends paused, so that its rows per second, time left and duration leave
-- pauses out (an import run 10 s, paused an hour, run 10 s more showed 6 rows/s and hours left).
-- Kept by the guard of people's moves (0106), as it keeps finished_at: a pause notes when it
-- began, a resume or a cancel adds to paused_ms the part of it after the import's first batch
-- began (a pause while it waited its turn delays no work it had started). People's own values
-- for these columns are never taken (they are not granted them either). The guard also records
-- who starts an import (0135's started_by) in the start itself, from the session's own claims.
ALTER TABLE "lead_imports" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD COLUMN "paused_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_paused_ms_nonnegative" CHECK ("lead_imports"."paused_ms" >= 0);--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.lead_imports_person_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  people_write constant text[] := array['status', 'preset', 'mapping', 'rules', 'error', 'finished_at', 'updated_at', 'paused_at', 'paused_ms'];
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
  NEW.started_by := CASE WHEN OLD.status = 'mapping' AND NEW.status = 'queued' THEN auth.uid() ELSE OLD.started_by END;
  IF NEW.status = 'paused' THEN
    NEW.paused_at := now();
    NEW.paused_ms := OLD.paused_ms;
  ELSE
    NEW.paused_at := NULL;
    NEW.paused_ms := OLD.paused_ms + CASE WHEN OLD.paused_at IS NULL OR OLD.started_at IS NULL THEN 0
      ELSE greatest(0, floor(extract(epoch FROM now() - greatest(OLD.paused_at, OLD.started_at)) * 1000))::bigint END;
  END IF;
  RETURN NEW;
END;
$$;
