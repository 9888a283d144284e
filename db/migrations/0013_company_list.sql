ALTER TABLE "companies" ADD COLUMN "lead_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "size_sort" integer GENERATED ALWAYS AS (coalesce("companies"."employee_count", -1)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "companies_workspace_size_idx" ON "companies" USING btree ("workspace_id","size_sort","id");--> statement-breakpoint
CREATE INDEX "companies_workspace_lead_count_idx" ON "companies" USING btree ("workspace_id","lead_count","id");--> statement-breakpoint
CREATE INDEX "companies_workspace_created_idx" ON "companies" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "companies_search_trgm_idx" ON "companies" USING gin ("workspace_id",(lower("name" || ' ' || coalesce("domain", ''))) extensions.gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_lead_count_nonnegative" CHECK ("companies"."lead_count" >= 0);