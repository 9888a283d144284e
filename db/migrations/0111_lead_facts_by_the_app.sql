-- Some of a lead's columns are facts the app finds out, not things a person types: whether the
-- address is deliverable (email_status, email_verified_at: verification, bounces), what the
-- enrichment found (enrichment: Apollo and the AI's icebreaker, which campaigns send as
-- {{ icebreaker }}), the vendors' ids (apollo_person_id, instantly_lead_id: the sync and the
-- Instantly webhooks find the lead by them), whether a sandbox wrote it (sample_data), and
-- where and by whom it came from (source, created_by, created_at). The leads' grants and
-- policies let a person's token (the Data API) write them all: mark an invalid address valid so
-- that campaigns take it again, put words in an approved campaign's icebreaker, point an
-- Instantly id at another lead. People now write none of them, except that changing the email
-- makes its status unknown again (lib/leads/update-lead.ts); a lead a person creates is their
-- own, manual, unverified and unenriched (lib/leads/create-lead.ts). Imports, enrichment, the
-- sync and the webhooks write them on the service connection, as before.
CREATE OR REPLACE FUNCTION private.leads_person_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.source <> 'manual' OR NEW.created_by IS DISTINCT FROM (SELECT auth.uid()) OR NEW.email_status <> 'unknown'
        OR NEW.email_verified_at IS NOT NULL OR NEW.enrichment <> '{}'::jsonb OR NEW.apollo_person_id IS NOT NULL
        OR NEW.instantly_lead_id IS NOT NULL OR NEW.sample_data IS NOT NULL THEN
      RAISE EXCEPTION 'a lead a person adds is theirs, manual, unverified and unenriched' USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.created_at := now();
    RETURN NEW;
  END IF;
  IF (NEW.enrichment, NEW.apollo_person_id, NEW.instantly_lead_id, NEW.sample_data, NEW.source, NEW.created_by, NEW.created_at)
      IS DISTINCT FROM (OLD.enrichment, OLD.apollo_person_id, OLD.instantly_lead_id, OLD.sample_data, OLD.source, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'a lead''s enrichment, vendor ids and origin are written by the app' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.email_status, NEW.email_verified_at) IS DISTINCT FROM (OLD.email_status, OLD.email_verified_at)
      AND NOT (NEW.email IS DISTINCT FROM OLD.email AND NEW.email_status = 'unknown' AND NEW.email_verified_at IS NULL) THEN
    RAISE EXCEPTION 'an address is verified by the app; a new address starts unknown' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.leads_person_guard() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER leads_person_guard BEFORE INSERT OR UPDATE ON public.leads
  FOR EACH ROW WHEN (current_user = 'authenticated') EXECUTE FUNCTION private.leads_person_guard();
