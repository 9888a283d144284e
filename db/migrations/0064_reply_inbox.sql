DROP INDEX "reply_classifications_campaign_idx";--> statement-breakpoint
CREATE INDEX "reply_classifications_inbox_idx" ON "reply_classifications" USING btree ("workspace_id","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reply_classifications_category_idx" ON "reply_classifications" USING btree ("workspace_id","category","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reply_classifications_campaign_idx" ON "reply_classifications" USING btree ("campaign_id","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
-- Live updates (lib/live, migration 0057): a reply stored, read by the model or undone is news for
-- the Replies inbox ('reply', its ids) and for its campaign's page ('campaign', the campaign's id:
-- an Instantly reply stores no email_replies row, and a reading changes nothing else there).
CREATE TRIGGER reply_classifications_live_insert AFTER INSERT ON public.reply_classifications
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('reply', 'id');--> statement-breakpoint
CREATE TRIGGER reply_classifications_live_update AFTER UPDATE ON public.reply_classifications
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('reply', 'id');--> statement-breakpoint
CREATE TRIGGER reply_classifications_campaign_live_insert AFTER INSERT ON public.reply_classifications
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'campaign_id');--> statement-breakpoint
CREATE TRIGGER reply_classifications_campaign_live_update AFTER UPDATE ON public.reply_classifications
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.live_notify('campaign', 'campaign_id');
