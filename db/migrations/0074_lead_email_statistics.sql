-- Statistics on lower(email), the expression leads are matched by (imports, the API's bulk
-- upsert, duplicates). PostgreSQL keeps the statistics of an index's expressions, but ignores
-- those of a partial index (leads_workspace_email_key is WHERE email IS NOT NULL), so without
-- these it guessed that an address matches 0.5 % of a workspace's leads: 5,000 per address at
-- a million. A join on lower(email) from a list of addresses was then planned as a sort of
-- every lead of the workspace and a merge join (bench:api's plain-statement floor, 7 s per
-- 1,000 leads at a million) instead of one index look-up per address.
CREATE STATISTICS IF NOT EXISTS public.leads_lower_email_stats ON (lower(email)) FROM public.leads;--> statement-breakpoint
ANALYZE public.leads;
