-- A saved view's state is its table's URL query: every value a string, which the leads and
-- companies pages parse for every member the view is shared with. The only check was "a JSON
-- object of at most 16 KB", and a member's own token may write the row (saved_views_update_own),
-- so a shared view holding {"status": 5} broke the page of everyone it was shared with.
-- Values that are not strings (written that way only outside the app) are dropped first.
UPDATE "saved_views" SET "state" = (
  SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) FROM jsonb_each("saved_views"."state") e WHERE jsonb_typeof(e.value) = 'string'
) WHERE jsonb_path_exists("saved_views"."state", 'strict $.* ? (@.type() != "string")');--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_state_strings" CHECK (not jsonb_path_exists("saved_views"."state", 'strict $.* ? (@.type() != "string")'));
