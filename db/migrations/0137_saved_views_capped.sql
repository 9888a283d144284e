-- At most 50 saved views per person per table in a workspace (MAX_SAVED_VIEWS_PER_PERSON,
-- lib/saved-views/saved-views.ts): every teammate's page lists the views shared with them, and a
-- member's own token could insert thousands in one statement through the Data API. Counted under
-- the advisory lock the service takes, so two inserts at once count one after the other.
CREATE OR REPLACE FUNCTION private.saved_views_capped()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('saved_views:' || NEW.workspace_id::text || ':' || NEW.owner_id::text || ':' || NEW.table_name, 0));
  IF (SELECT count(*) FROM public.saved_views v
      WHERE v.workspace_id = NEW.workspace_id AND v.owner_id = NEW.owner_id AND v.table_name = NEW.table_name) >= 50 THEN
    RAISE EXCEPTION 'a person keeps at most 50 saved views of a table' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.saved_views_capped() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER saved_views_capped BEFORE INSERT ON public.saved_views
  FOR EACH ROW EXECUTE FUNCTION private.saved_views_capped();
