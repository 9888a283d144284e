-- A lead's tags hold no two that differ only in case ("VIP" and "vip" are one tag): the app keeps
-- each tag once whatever its case (lib/leads/bulk/tag-rule.ts), and this CHECK says the same for
-- every writer. lower() is the comparison the imports' and bulk actions' SQL make. The function
-- is IMMUTABLE (lower() and unnest() are), so a CHECK may call it.
CREATE FUNCTION private.tags_unique_ci(tags text[])
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT count(*) = count(DISTINCT lower(t)) FROM unnest(tags) AS t $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.tags_unique_ci(text[]) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.tags_unique_ci(text[]) TO authenticated, service_role;--> statement-breakpoint
-- Leads tagged before this keep their first spelling of each tag. Their timeline is not told: the
-- lead still carries every tag it had, only its case-duplicates go.
UPDATE "leads" SET "tags" = ARRAY(
  SELECT (array_agg(t ORDER BY o))[1] FROM unnest("tags") WITH ORDINALITY AS u(t, o) GROUP BY lower(t) ORDER BY min(o))
WHERE NOT private.tags_unique_ci("tags");--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_tags_unique_ci" CHECK (private.tags_unique_ci("leads"."tags"));
