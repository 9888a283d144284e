-- One of our campaigns per Instantly campaign in a workspace. Analytics join Instantly's synced
-- daily figures to our campaigns through the push's instantly_campaign_id
-- (lib/analytics/dimension-queries.ts), so two pushes of a workspace holding the same Instantly
-- campaign would count its figures twice. The push job never makes such a pair (and
-- ensureInstantlyCampaign now refuses one in words), but nothing forbade it until this index.
-- A database that holds such pairs already keeps the earliest push's link (created_at, then id,
-- so the choice is the same on every run): each later push loses it and is marked failed, saying
-- why on its campaign's page (the Instantly panel shows last_error), rather than this migration
-- failing. Another workspace may link the same Instantly campaign (one Instantly account
-- connected to two workspaces), and pushes whose campaign is not created yet have none (nulls
-- are distinct).
WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY workspace_id, instantly_campaign_id ORDER BY created_at, id) AS n
    FROM public.instantly_campaign_pushes
   WHERE instantly_campaign_id IS NOT NULL
)
UPDATE public.instantly_campaign_pushes p
   SET instantly_campaign_id = NULL, status = 'failed',
       last_error = left('This campaign was unlinked from Instantly campaign ' || p.instantly_campaign_id || ': an earlier campaign of this workspace is linked to the same Instantly campaign and keeps it, so that its figures are not counted twice. Check in Instantly which of the two it sends.', 1000)
  FROM ranked r
 WHERE r.id = p.id AND r.n > 1;--> statement-breakpoint
CREATE UNIQUE INDEX "instantly_campaign_pushes_instantly_campaign_key" ON "instantly_campaign_pushes" USING btree ("workspace_id","instantly_campaign_id");
