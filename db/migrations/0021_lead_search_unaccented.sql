-- Accent-insensitive lead search: "zoe" finds "Zoë", "muller" finds "Müller". unaccent() is only
-- STABLE (its dictionary could be changed), so a generated column cannot call it; this wrapper
-- names the dictionary and its schema explicitly, which is what makes treating it as IMMUTABLE
-- safe (the usual recipe). The search words go through the same function (list-filters.ts).
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA extensions;--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.unaccent_text(value text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT extensions.unaccent('extensions.unaccent'::regdictionary, value) $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.unaccent_text(text) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.unaccent_text(text) TO authenticated, service_role;--> statement-breakpoint
-- SET EXPRESSION (not drop and add) keeps the column and its trigram index; it rewrites the
-- table and rebuilds its indexes once (minutes at millions of leads).
ALTER TABLE "leads" ALTER COLUMN "search_text" SET EXPRESSION AS (private.unaccent_text(lower(
        coalesce("leads"."first_name", '') || ' ' || coalesce("leads"."last_name", '') || ' ' ||
        coalesce("leads"."email", '') || ' ' || coalesce("leads"."company_name", '') || ' ' || coalesce("leads"."title", ''))));
