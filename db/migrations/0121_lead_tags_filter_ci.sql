-- The lead table's tag filter compares tags without regard to case (lib/leads/list-filters.ts),
-- as lower(tags::text)::text[]: one lower() over the array's text form. No index serves it (under
-- RLS an array operator cannot be an index condition), so these statistics on the same expression
-- are what keeps the planner's estimate of a tag filter, and so the "about N" total, as good as
-- it was on the plain column. CREATE STATISTICS takes a stable expression (the array casts are).
CREATE STATISTICS "leads_tags_lower_stats" ON (lower("tags"::text)::text[]) FROM "leads";--> statement-breakpoint
ANALYZE "leads";
