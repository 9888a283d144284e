DROP INDEX "leads_workspace_created_idx";--> statement-breakpoint
DROP INDEX "leads_sort_last_activity_idx";--> statement-breakpoint
DROP INDEX "leads_sort_name_idx";--> statement-breakpoint
DROP INDEX "leads_sort_title_idx";--> statement-breakpoint
DROP INDEX "leads_sort_company_idx";--> statement-breakpoint
DROP INDEX "leads_sort_email_idx";--> statement-breakpoint
DROP INDEX "leads_sort_status_idx";--> statement-breakpoint
DROP INDEX "leads_sort_source_idx";--> statement-breakpoint
DROP INDEX "leads_sort_tags_idx";--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_last_activity" timestamp with time zone GENERATED ALWAYS AS (coalesce("leads"."last_activity_at", '-infinity'::timestamptz)) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_name" text GENERATED ALWAYS AS (lower(coalesce("leads"."first_name", '') || ' ' || coalesce("leads"."last_name", ''))) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_title" text GENERATED ALWAYS AS (lower(coalesce("leads"."title", ''))) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_company" text GENERATED ALWAYS AS (lower(coalesce("leads"."company_name", ''))) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_email" text GENERATED ALWAYS AS (lower(coalesce("leads"."email", ''))) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_status" smallint GENERATED ALWAYS AS ((case "leads"."status" when 'new' then 0 when 'contacted' then 1 when 'replied' then 2 when 'interested' then 3 when 'meeting' then 4 when 'won' then 5 when 'lost' then 6 when 'unsubscribed' then 7 when 'bounced' then 8 end)::smallint) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_source" smallint GENERATED ALWAYS AS ((case "leads"."source" when 'manual' then 0 when 'csv' then 1 when 'apollo' then 2 when 'phantombuster' then 3 when 'instantly' then 4 end)::smallint) STORED;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sort_tags" text GENERATED ALWAYS AS (lower(coalesce("leads"."tags"[1], ''))) STORED;--> statement-breakpoint
CREATE INDEX "leads_sort_created_idx" ON "leads" USING btree ("workspace_id","created_at","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_last_activity_idx" ON "leads" USING btree ("workspace_id","sort_last_activity","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_name_idx" ON "leads" USING btree ("workspace_id","sort_name","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_title_idx" ON "leads" USING btree ("workspace_id","sort_title","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_company_idx" ON "leads" USING btree ("workspace_id","sort_company","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_email_idx" ON "leads" USING btree ("workspace_id","sort_email","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_status_idx" ON "leads" USING btree ("workspace_id","sort_status","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_source_idx" ON "leads" USING btree ("workspace_id","sort_source","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_tags_idx" ON "leads" USING btree ("workspace_id","sort_tags","id") WHERE "leads"."deleted_at" is null;