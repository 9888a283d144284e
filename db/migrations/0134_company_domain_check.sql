-- A company's domain as the app normalises it (normalizeDomain, lib/leads/normalize.ts), held by
-- the database too: the old check let a member's own token store "www.acme.test" beside
-- "acme.test" (two companies for one domain, which the app treats as one) and labels over 63
-- characters. Rows written that way before (only possible outside the app) are mended first, so
-- that the check holds for every row and an edit of such a company is not refused later: "www."
-- is dropped where no other company of the workspace has the domain that leaves, and a domain
-- still outside the rule (a clash, an over-long label) is cleared, the company keeping the rest.
WITH wanted AS (
  SELECT c.id, regexp_replace(c.domain, '^(www\.)+', '') AS domain,
    row_number() OVER (PARTITION BY c.workspace_id, regexp_replace(c.domain, '^(www\.)+', '') ORDER BY c.created_at, c.id) AS nth
  FROM "companies" c
  WHERE c.domain ~ '^www\.'
    AND NOT EXISTS (SELECT 1 FROM "companies" o WHERE o.workspace_id = c.workspace_id AND o.domain = regexp_replace(c.domain, '^(www\.)+', ''))
)
UPDATE "companies" c SET domain = w.domain FROM wanted w WHERE c.id = w.id AND w.nth = 1;--> statement-breakpoint
UPDATE "companies" SET domain = NULL
WHERE NOT (domain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$' AND domain !~ '^www\.' AND char_length(domain) <= 253);--> statement-breakpoint
ALTER TABLE "companies" DROP CONSTRAINT "companies_domain_normalised";--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_domain_normalised" CHECK ("companies"."domain" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$' and "companies"."domain" !~ '^www\.' and char_length("companies"."domain") <= 253);
