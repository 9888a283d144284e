-- The companies list sorts names without regard to case ("acme corp" beside "Acme", not after
-- "Zeta": the database collation is C): by a stored lower-case key, which the keyset index holds.
DROP INDEX "companies_workspace_name_idx";--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "name_sort" text GENERATED ALWAYS AS (lower("companies"."name")) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "companies_workspace_name_idx" ON "companies" USING btree ("workspace_id","name_sort","id");