DROP INDEX "leads_workspace_created_idx";--> statement-breakpoint
CREATE INDEX "leads_sort_last_activity_idx" ON "leads" USING btree ("workspace_id",coalesce("last_activity_at", '-infinity'::timestamptz),"id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_name_idx" ON "leads" USING btree ("workspace_id",lower(coalesce("first_name", '') || ' ' || coalesce("last_name", '')),"id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_title_idx" ON "leads" USING btree ("workspace_id",lower(coalesce("title", '')),"id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_company_idx" ON "leads" USING btree ("workspace_id",lower(coalesce("company_name", '')),"id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_email_idx" ON "leads" USING btree ("workspace_id",lower(coalesce("email", '')),"id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_status_idx" ON "leads" USING btree ("workspace_id","status","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_source_idx" ON "leads" USING btree ("workspace_id","source","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_score_idx" ON "leads" USING btree ("workspace_id","score","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_tags_idx" ON "leads" USING btree ("workspace_id","tags","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_sort_owner_idx" ON "leads" USING btree ("workspace_id","owner_id","id") WHERE "leads"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "leads_workspace_created_idx" ON "leads" USING btree ("workspace_id","created_at","id") WHERE "leads"."deleted_at" is null;