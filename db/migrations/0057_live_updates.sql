-- Live updates (lib/live): every change an open screen follows is announced on the `lip_live`
-- channel, whoever writes it (a user under RLS, a job, a webhook, another app instance). NOTIFY
-- is delivered at COMMIT and never for a rollback. Statement triggers with transition tables:
-- an import batch or a bulk action of thousands of rows costs one notification per workspace,
-- not one per row. The payload is small: the workspace, a kind and up to 20 ids (none when
-- more changed: "many"); the app re-reads what each listener may see, under its own session.
--
-- Arguments: the kind, the column whose values are the ids, and optionally a column whose
-- change is what matters on UPDATE (job runs move their lease on every step: only a new
-- status is news).
CREATE OR REPLACE FUNCTION private.live_notify()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  kind text := TG_ARGV[0];
  id_column text := TG_ARGV[1];
  changed_column text := TG_ARGV[2];
  changed_rows text;
BEGIN
  IF TG_OP = 'UPDATE' AND changed_column IS NOT NULL THEN
    changed_rows := format(
      'SELECT n.workspace_id AS w, n.%1$I AS id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.%2$I IS DISTINCT FROM o.%2$I',
      id_column, changed_column);
  ELSE
    changed_rows := format('SELECT workspace_id AS w, %1$I AS id FROM new_rows', id_column);
  END IF;
  EXECUTE format(
    'SELECT count(pg_notify(''lip_live'', json_build_object(''w'', g.w, ''k'', %1$L, ''ids'', CASE WHEN g.n <= 20 THEN g.ids END)::text))
     FROM (SELECT x.w, count(DISTINCT x.id) AS n, (array_agg(DISTINCT x.id) FILTER (WHERE x.id IS NOT NULL))[1:20] AS ids
           FROM (%2$s) x WHERE x.w IS NOT NULL GROUP BY x.w) g',
    kind, changed_rows);
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.live_notify() FROM public;--> statement-breakpoint

CREATE TRIGGER leads_live_insert AFTER INSERT ON public.leads
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('lead', 'id');--> statement-breakpoint
CREATE TRIGGER leads_live_update AFTER UPDATE ON public.leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('lead', 'id');--> statement-breakpoint

CREATE TRIGGER lead_activities_live_insert AFTER INSERT ON public.lead_activities
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('activity', 'lead_id');--> statement-breakpoint

CREATE TRIGGER lead_imports_live_insert AFTER INSERT ON public.lead_imports
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('import', 'id');--> statement-breakpoint
CREATE TRIGGER lead_imports_live_update AFTER UPDATE ON public.lead_imports
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('import', 'id');--> statement-breakpoint

CREATE TRIGGER campaigns_live_insert AFTER INSERT ON public.campaigns
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'id');--> statement-breakpoint
CREATE TRIGGER campaigns_live_update AFTER UPDATE ON public.campaigns
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'id');--> statement-breakpoint
-- A campaign page's funnel moves with its messages: sent, then what the provider reports
-- (delivered, opened, clicked, bounced… are columns of the message), and replies.
CREATE TRIGGER email_messages_live_insert AFTER INSERT ON public.email_messages
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'campaign_id');--> statement-breakpoint
CREATE TRIGGER email_messages_live_update AFTER UPDATE ON public.email_messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'campaign_id');--> statement-breakpoint
CREATE TRIGGER email_replies_live_insert AFTER INSERT ON public.email_replies
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'campaign_id');--> statement-breakpoint

-- The ids of a notification are its recipients: only they hear of it.
CREATE TRIGGER notifications_live_insert AFTER INSERT ON public.notifications
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('notification', 'user_id');--> statement-breakpoint
CREATE TRIGGER notifications_live_update AFTER UPDATE ON public.notifications
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('notification', 'user_id', 'read_at');--> statement-breakpoint

CREATE TRIGGER job_runs_live_insert AFTER INSERT ON public.job_runs
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('job', 'id');--> statement-breakpoint
CREATE TRIGGER job_runs_live_update AFTER UPDATE ON public.job_runs
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('job', 'id', 'status');
