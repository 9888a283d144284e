-- A campaign page's progress moves with its enrollments: a lead enrolled, or one that finishes,
-- stops or is skipped (by the sequence job, an unsubscribe, a reply, a bounce). Only a new
-- status is news: the sequence moves next_send_at on every step.
CREATE TRIGGER campaign_enrollments_live_insert AFTER INSERT ON public.campaign_enrollments
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'campaign_id');--> statement-breakpoint
CREATE TRIGGER campaign_enrollments_live_update AFTER UPDATE ON public.campaign_enrollments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'campaign_id', 'status');
