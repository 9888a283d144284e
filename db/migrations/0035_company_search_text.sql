-- The company search as a stored column (lib/companies/list-companies.ts): under RLS, a condition
-- that calls unaccent on the row's name is not leakproof, so it could not be the trigram index's
-- condition and every company of the workspace was tested. Adding the column rewrites the table
-- once.
DROP INDEX "companies_search_trgm_idx";--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "search_text" text GENERATED ALWAYS AS (private.unaccent_text(lower("companies"."name" || ' ' || coalesce("companies"."domain", '')))) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "companies_search_trgm_idx" ON "companies" USING gin ("workspace_id","search_text" extensions.gin_trgm_ops);--> statement-breakpoint
-- The company search under RLS, as private.search_lead_ids (0016) for leads: LIKE is not
-- leakproof, so on a table with row-level security PostgreSQL will not make it an index
-- condition; this helper runs the search itself (SECURITY DEFINER, so the trigram index applies),
-- only in a workspace the caller belongs to, and returns ids; the caller's query still runs under RLS.
CREATE OR REPLACE FUNCTION private.search_company_ids(ws uuid, pattern text)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' ROWS 1000
AS $$
  SELECT c.id FROM public.companies c
  WHERE ws = ANY (private.member_workspace_ids())
    AND c.workspace_id = ws
    AND c.search_text LIKE pattern;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.search_company_ids(uuid, text) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.search_company_ids(uuid, text) TO authenticated, service_role;
