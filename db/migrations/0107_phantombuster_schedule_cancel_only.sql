-- The recurring PhantomBuster imports run as the schedule's created_by (re-checked each run).
-- Through a person's token (the Data API) the update policy let its creator, a manager or an
-- admin rewrite any column: a manager could make a schedule import as the admin or as a rep
-- (the imports then say that person did them), the creator could take back a cancel an admin
-- made, and next_run_at or the account could be moved. The app only cancels one as a person
-- (lib/imports/phantombuster/recurring/schedules.ts), so that is all a person may do now:
-- cancelled_at from empty to now, by themself. The cron and the runs write the rest on the
-- service connection.
REVOKE UPDATE ON public.phantombuster_schedules FROM authenticated;--> statement-breakpoint
GRANT UPDATE (cancelled_at, cancelled_by) ON public.phantombuster_schedules TO authenticated;--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.phantombuster_schedules_person_cancel_only()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF OLD.cancelled_at IS NOT NULL OR NEW.cancelled_at IS NULL THEN
    RAISE EXCEPTION 'a schedule can only be cancelled, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.cancelled_at := now();
  NEW.cancelled_by := (SELECT auth.uid());
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER phantombuster_schedules_person_cancel_only BEFORE UPDATE ON public.phantombuster_schedules
  FOR EACH ROW WHEN (current_user = 'authenticated') EXECUTE FUNCTION private.phantombuster_schedules_person_cancel_only();
--> statement-breakpoint
REVOKE ALL ON FUNCTION private.phantombuster_schedules_person_cancel_only() FROM PUBLIC;
