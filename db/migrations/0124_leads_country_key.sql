-- The lead table's country filter compares without regard to case ("france" finds "France"):
-- on a stored lower-case key, since lower(country) in the filter is not leakproof and under RLS
-- could not be the index condition of leads_filter_country_status_idx, rebuilt on the key.
DROP INDEX "leads_filter_country_status_idx";--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "country_key" text GENERATED ALWAYS AS (lower("leads"."country")) STORED;--> statement-breakpoint
CREATE INDEX "leads_filter_country_status_idx" ON "leads" USING btree ("workspace_id","country_key","sort_status") WHERE "leads"."deleted_at" is null;