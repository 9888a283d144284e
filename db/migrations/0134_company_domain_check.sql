-- A company's domain as the app normalises it (normalizeDomain, lib/leads/normalize.ts), held by
-- the database too: the old check let a member's own token store "www.acme.test" beside
-- "acme.test" (two companies for one domain, which the app treats as one) and labels over 63
-- characters. Added NOT VALID, so that a row written that way before (only possible outside the
-- app) does not stop the upgrade; every new or changed row is checked, and the table is
-- validated at once when no such row exists, as on every database the app alone wrote.
ALTER TABLE "companies" DROP CONSTRAINT "companies_domain_normalised";--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_domain_normalised" CHECK ("companies"."domain" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$' and "companies"."domain" !~ '^www\.' and char_length("companies"."domain") <= 253) NOT VALID;--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "companies" c
    WHERE NOT (c.domain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$' AND c.domain !~ '^www\.' AND char_length(c.domain) <= 253)
  ) THEN
    ALTER TABLE "companies" VALIDATE CONSTRAINT "companies_domain_normalised";
  END IF;
END $$;
