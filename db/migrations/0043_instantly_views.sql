CREATE VIEW "public"."instantly_campaign_days" WITH (security_invoker = true) AS (select d.workspace_id, d.campaign_id, c.raw ->> 'name' as campaign_name, d.day,
  case when jsonb_typeof(d.raw -> 'sent') = 'number' then (d.raw ->> 'sent')::numeric end as sent,
  case when jsonb_typeof(d.raw -> 'contacted') = 'number' then (d.raw ->> 'contacted')::numeric end as contacted,
  case when jsonb_typeof(d.raw -> 'new_leads_contacted') = 'number' then (d.raw ->> 'new_leads_contacted')::numeric end as new_leads_contacted,
  case when jsonb_typeof(d.raw -> 'opened') = 'number' then (d.raw ->> 'opened')::numeric end as opened,
  case when jsonb_typeof(d.raw -> 'unique_opened') = 'number' then (d.raw ->> 'unique_opened')::numeric end as unique_opened,
  case when jsonb_typeof(d.raw -> 'replies') = 'number' then (d.raw ->> 'replies')::numeric end as replies,
  case when jsonb_typeof(d.raw -> 'unique_replies') = 'number' then (d.raw ->> 'unique_replies')::numeric end as unique_replies,
  case when jsonb_typeof(d.raw -> 'replies_automatic') = 'number' then (d.raw ->> 'replies_automatic')::numeric end as replies_automatic,
  case when jsonb_typeof(d.raw -> 'clicks') = 'number' then (d.raw ->> 'clicks')::numeric end as clicks,
  case when jsonb_typeof(d.raw -> 'unique_clicks') = 'number' then (d.raw ->> 'unique_clicks')::numeric end as unique_clicks,
  case when jsonb_typeof(d.raw -> 'opportunities') = 'number' then (d.raw ->> 'opportunities')::numeric end as opportunities,
  d.fetched_at
from public.instantly_campaign_daily_analytics d
left join public.instantly_campaigns c on c.workspace_id = d.workspace_id and c.instantly_id = d.campaign_id);--> statement-breakpoint
CREATE VIEW "public"."instantly_lead_links" WITH (security_invoker = true) AS (select i.workspace_id, i.instantly_id, i.email, i.raw ->> 'campaign' as campaign_id,
  (case when jsonb_typeof(i.raw -> 'status') = 'number' then (i.raw ->> 'status')::numeric end)::integer as instantly_status, l.id as lead_id, i.fetched_at
from public.instantly_leads i
left join public.leads l on l.workspace_id = i.workspace_id and lower(l.email) = i.email and l.deleted_at is null);