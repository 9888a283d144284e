-- Names and words sort as a reader expects: "Émile" among the e's and "Åsa" among the a's, not
-- after "Zoe" (the database collation is C, which orders by code point). The sort keys of the
-- lead table and the companies list go through private.unaccent_text, as search_text does
-- (migration 0021). Not an ICU collation: the keys stay byte-compared, so a keyset step costs
-- what it did, and they match the search words, which are unaccented the same way.
-- SET EXPRESSION (not drop and add) keeps the columns and their keyset indexes; each table is
-- rewritten and its indexes rebuilt once (one ALTER per table; minutes at millions of leads).
ALTER TABLE "companies" ALTER COLUMN "name_sort" SET EXPRESSION AS (private.unaccent_text(lower("companies"."name")));--> statement-breakpoint
ALTER TABLE "leads"
  ALTER COLUMN "sort_name" SET EXPRESSION AS (private.unaccent_text(lower(coalesce("leads"."first_name", '') || ' ' || coalesce("leads"."last_name", '')))),
  ALTER COLUMN "sort_title" SET EXPRESSION AS (private.unaccent_text(lower(coalesce("leads"."title", '')))),
  ALTER COLUMN "sort_company" SET EXPRESSION AS (private.unaccent_text(lower(coalesce("leads"."company_name", '')))),
  ALTER COLUMN "sort_tags" SET EXPRESSION AS (private.unaccent_text(lower(coalesce("leads"."tags"[1], '')))),
  ALTER COLUMN "sort_icebreaker" SET EXPRESSION AS (private.unaccent_text(lower(left(coalesce("leads"."enrichment" ->> 'icebreaker', ''), 300))));
