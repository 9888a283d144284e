-- Accent-insensitive company search, alike the leads' (0021): the trigram index holds the
-- unaccented, lower-cased name and domain that lib/companies/list-companies.ts searches.
DROP INDEX "companies_search_trgm_idx";--> statement-breakpoint
CREATE INDEX "companies_search_trgm_idx" ON "companies" USING gin ("workspace_id",(private.unaccent_text(lower("name" || ' ' || coalesce("domain", '')))) extensions.gin_trgm_ops);