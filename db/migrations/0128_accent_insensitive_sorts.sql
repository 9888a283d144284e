-- Names and words sort as a reader expects: "Émile" among the e's and "Åsa" among the a's, not
-- after "Zoe" (the database collation is C, which orders by code point). The sort keys of the
-- lead table and the companies list are unaccented with private.unaccent_text (migration 0021),
-- then lower-cased (a few of unaccent's replacements are capitals: "ℕ" becomes "N"). Not an ICU
-- collation: the keys stay byte-compared, so a keyset step costs what it did.
-- SET EXPRESSION (not drop and add) keeps the columns and their keyset indexes; each table is
-- rewritten and its indexes rebuilt once (one ALTER per table; minutes at millions of leads).
-- Cursors written before name the old keys and are refused (lib/leads/list-cursor.ts,
-- lib/companies/cursor.ts); the new keys are analyzed at once for the planner.
ALTER TABLE "companies" ALTER COLUMN "name_sort" SET EXPRESSION AS (lower(private.unaccent_text("companies"."name")));--> statement-breakpoint
ALTER TABLE "leads"
  ALTER COLUMN "sort_name" SET EXPRESSION AS (lower(private.unaccent_text(coalesce("leads"."first_name", '') || ' ' || coalesce("leads"."last_name", '')))),
  ALTER COLUMN "sort_title" SET EXPRESSION AS (lower(private.unaccent_text(coalesce("leads"."title", '')))),
  ALTER COLUMN "sort_company" SET EXPRESSION AS (lower(private.unaccent_text(coalesce("leads"."company_name", '')))),
  ALTER COLUMN "sort_tags" SET EXPRESSION AS (lower(private.unaccent_text(coalesce("leads"."tags"[1], '')))),
  ALTER COLUMN "sort_icebreaker" SET EXPRESSION AS (lower(private.unaccent_text(left(coalesce("leads"."enrichment" ->> 'icebreaker', ''), 300))));--> statement-breakpoint
ANALYZE "companies" ("name_sort");--> statement-breakpoint
ANALYZE "leads" ("sort_name", "sort_title", "sort_company", "sort_tags", "sort_icebreaker");
