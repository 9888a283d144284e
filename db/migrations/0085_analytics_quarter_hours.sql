-- The rollups' sub-day rows (analytics_message_hours, _campaign_hours, _owner_hours,
-- _identity_hours, _source_hours, analytics_lead_hours, _lead_status_hours) are kept per UTC
-- quarter hour from now on: `hour` is the first instant of the quarter hour a fact happened in
-- (date_bin('15 minutes', at, epoch)). Per UTC hour, a viewer in a zone whose offset is not a
-- whole hour (Asia/Kolkata +5:30, Asia/Kathmandu +5:45, Australia/Adelaide +9:30/+10:30,
-- Pacific/Chatham +12:45, America/St_Johns -3:30) had the hour holding local midnight counted
-- whole in the day it starts in: a lead made at 00:15 in India counted on the day before, and in a
-- range ending that day. Every zone's offset is a multiple of 15 minutes, so a quarter hour lies in
-- one local day of any zone, before and after any DST change, and the page's sums are exact.
-- The daily tables keep UTC days (a day is the sum of its quarter hours as it was of its hours).
-- The functions are those of 0077 and 0072 with only the bucket changed; the triggers call them.
CREATE OR REPLACE FUNCTION private.analytics_message_upsert_sql(rows_sql text)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = ''
AS $fn$
  SELECT format($q$
    WITH g AS MATERIALIZED (
      SELECT x.* FROM (
        SELECT c.workspace_id, c.hour, c.campaign_id, c.step_position, c.variant_label, c.identity_id, c.owner_id, c.source,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'sent'), 0)::integer AS sent,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'delivered'), 0)::integer AS delivered,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'opened'), 0)::integer AS opened,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'clicked'), 0)::integer AS clicked,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'replied'), 0)::integer AS replied,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'interested'), 0)::integer AS interested,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'meeting'), 0)::integer AS meeting,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'bounced'), 0)::integer AS bounced,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'unsubscribed'), 0)::integer AS unsubscribed,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'complained'), 0)::integer AS complained
        FROM (
          SELECT r.sign, r.workspace_id, date_bin('15 minutes', s.at, '2000-01-01 00:00:00+00') AS hour, r.campaign_id, r.step_position,
                 r.variant_label, r.identity_id, r.lead_owner_id AS owner_id, r.lead_source AS source, s.stage
          FROM (%s) r
          CROSS JOIN LATERAL (VALUES
            ('sent', r.sent_at), ('delivered', r.delivered_at), ('opened', r.opened_at), ('clicked', r.clicked_at),
            ('replied', r.replied_at), ('interested', r.interested_at), ('meeting', r.meeting_at),
            ('bounced', CASE WHEN r.bounce_type IS DISTINCT FROM 'soft' THEN r.bounced_at END),
            ('unsubscribed', r.unsubscribed_at), ('complained', r.complained_at)) AS s(stage, at)
          WHERE r.status = 'sent' AND r.sent_at IS NOT NULL AND s.at IS NOT NULL
            AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = r.workspace_id)
        ) c
        GROUP BY c.workspace_id, c.hour, c.campaign_id, c.step_position, c.variant_label, c.identity_id, c.owner_id, c.source
      ) x
      WHERE x.sent <> 0 OR x.delivered <> 0 OR x.opened <> 0 OR x.clicked <> 0 OR x.replied <> 0 OR x.interested <> 0 OR x.meeting <> 0 OR x.bounced <> 0 OR x.unsubscribed <> 0 OR x.complained <> 0
    ),
    message AS (
      INSERT INTO public.analytics_message_hours AS a
        (workspace_id, hour, campaign_id, step_position, variant_label, identity_id, owner_id, source, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.* FROM g
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT ON CONSTRAINT analytics_message_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    campaign_hours AS (
      INSERT INTO public.analytics_campaign_hours AS a (workspace_id, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT analytics_campaign_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    owner_hours AS (
      INSERT INTO public.analytics_owner_hours AS a (workspace_id, owner_id, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.owner_id, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_owner_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    identity_hours AS (
      INSERT INTO public.analytics_identity_hours AS a (workspace_id, identity_id, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.identity_id, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_identity_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    source_hours AS (
      INSERT INTO public.analytics_source_hours AS a (workspace_id, source, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.source, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_source_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    campaign_days AS (
      INSERT INTO public.analytics_campaign_days AS a (workspace_id, day, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, date_trunc('day', g.hour, 'UTC'), g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT analytics_campaign_days_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    owner_days AS (
      INSERT INTO public.analytics_owner_days AS a (workspace_id, owner_id, day, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.owner_id, date_trunc('day', g.hour, 'UTC'), g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_owner_days_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    identity_days AS (
      INSERT INTO public.analytics_identity_days AS a (workspace_id, identity_id, day, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.identity_id, date_trunc('day', g.hour, 'UTC'), g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_identity_days_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    source_days AS (
      INSERT INTO public.analytics_source_days AS a (workspace_id, source, day, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.source, date_trunc('day', g.hour, 'UTC'), g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_source_days_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    owner_identity_days AS (
      INSERT INTO public.analytics_owner_identity_days AS a (workspace_id, owner_id, day, identity_id, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.owner_id, date_trunc('day', g.hour, 'UTC'), g.identity_id, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT analytics_owner_identity_days_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    owner_source_days AS (
      INSERT INTO public.analytics_owner_source_days AS a (workspace_id, owner_id, day, source, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.owner_id, date_trunc('day', g.hour, 'UTC'), g.source, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT analytics_owner_source_days_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    identity_source_days AS (
      INSERT INTO public.analytics_identity_source_days AS a (workspace_id, identity_id, day, source, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.identity_id, date_trunc('day', g.hour, 'UTC'), g.source, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT analytics_identity_source_days_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    )
    SELECT 1
  $q$, rows_sql)
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_message_upsert_sql(text) FROM public;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.analytics_lead_upsert_sql(rows_sql text)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = ''
AS $fn$
  SELECT format($q$
    WITH g AS MATERIALIZED (
      SELECT x.* FROM (
        SELECT c.workspace_id, c.hour, c.owner_id, c.source, c.status,
               coalesce(sum(c.sign) FILTER (WHERE c.kind = 'net'), 0)::integer AS net,
               coalesce(sum(c.sign) FILTER (WHERE c.kind = 'created'), 0)::integer AS created
        FROM (
          SELECT r.sign, r.workspace_id, date_bin('15 minutes', k.at, '2000-01-01 00:00:00+00') AS hour, r.owner_id, r.source, r.status, k.kind
          FROM (%s) r
          CROSS JOIN LATERAL (VALUES ('net', r.net_at), ('created', r.created_at)) AS k(kind, at)
          WHERE r.deleted_at IS NULL
            AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = r.workspace_id)
        ) c
        GROUP BY c.workspace_id, c.hour, c.owner_id, c.source, c.status
      ) x
      WHERE x.net <> 0 OR x.created <> 0
    ),
    hours AS (
      INSERT INTO public.analytics_lead_hours AS a (workspace_id, hour, owner_id, source, status, net, created)
      SELECT g.* FROM g
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT analytics_lead_hours_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created
    ),
    days AS (
      INSERT INTO public.analytics_lead_days AS a (workspace_id, day, owner_id, source, status, net, created)
      SELECT g.workspace_id, date_trunc('day', g.hour, 'UTC'), g.owner_id, g.source, g.status, sum(g.net)::integer, sum(g.created)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5
      HAVING sum(g.net) <> 0 OR sum(g.created) <> 0
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT analytics_lead_days_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created
    ),
    statuses AS (
      INSERT INTO public.analytics_lead_status_hours AS a (workspace_id, hour, status, net, created)
      SELECT g.workspace_id, g.hour, g.status, sum(g.net)::integer, sum(g.created)::integer
      FROM g GROUP BY 1, 2, 3
      HAVING sum(g.net) <> 0 OR sum(g.created) <> 0
      ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT analytics_lead_status_hours_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created
    )
    SELECT 1
  $q$, rows_sql)
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_lead_upsert_sql(text) FROM public;--> statement-breakpoint

-- The data already there. The message rollups are a sum over the email rows as they are now:
-- the sub-day tables are emptied and summed again from email_messages, in one statement as the
-- triggers write them (the daily tables are left as they are: a day is the same sum).
DELETE FROM public.analytics_message_hours;--> statement-breakpoint
DELETE FROM public.analytics_campaign_hours;--> statement-breakpoint
DELETE FROM public.analytics_owner_hours;--> statement-breakpoint
DELETE FROM public.analytics_identity_hours;--> statement-breakpoint
DELETE FROM public.analytics_source_hours;--> statement-breakpoint
WITH g AS MATERIALIZED (
      SELECT x.* FROM (
        SELECT c.workspace_id, c.hour, c.campaign_id, c.step_position, c.variant_label, c.identity_id, c.owner_id, c.source,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'sent'), 0)::integer AS sent,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'delivered'), 0)::integer AS delivered,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'opened'), 0)::integer AS opened,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'clicked'), 0)::integer AS clicked,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'replied'), 0)::integer AS replied,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'interested'), 0)::integer AS interested,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'meeting'), 0)::integer AS meeting,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'bounced'), 0)::integer AS bounced,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'unsubscribed'), 0)::integer AS unsubscribed,
          coalesce(sum(c.sign) FILTER (WHERE c.stage = 'complained'), 0)::integer AS complained
        FROM (
          SELECT r.sign, r.workspace_id, date_bin('15 minutes', s.at, '2000-01-01 00:00:00+00') AS hour, r.campaign_id, r.step_position,
                 r.variant_label, r.identity_id, r.lead_owner_id AS owner_id, r.lead_source AS source, s.stage
          FROM (SELECT 1 AS sign, * FROM public.email_messages) r
          CROSS JOIN LATERAL (VALUES
            ('sent', r.sent_at), ('delivered', r.delivered_at), ('opened', r.opened_at), ('clicked', r.clicked_at),
            ('replied', r.replied_at), ('interested', r.interested_at), ('meeting', r.meeting_at),
            ('bounced', CASE WHEN r.bounce_type IS DISTINCT FROM 'soft' THEN r.bounced_at END),
            ('unsubscribed', r.unsubscribed_at), ('complained', r.complained_at)) AS s(stage, at)
          WHERE r.status = 'sent' AND r.sent_at IS NOT NULL AND s.at IS NOT NULL
            AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = r.workspace_id)
        ) c
        GROUP BY c.workspace_id, c.hour, c.campaign_id, c.step_position, c.variant_label, c.identity_id, c.owner_id, c.source
      ) x
      WHERE x.sent <> 0 OR x.delivered <> 0 OR x.opened <> 0 OR x.clicked <> 0 OR x.replied <> 0 OR x.interested <> 0 OR x.meeting <> 0 OR x.bounced <> 0 OR x.unsubscribed <> 0 OR x.complained <> 0
    ),
    message AS (
      INSERT INTO public.analytics_message_hours AS a
        (workspace_id, hour, campaign_id, step_position, variant_label, identity_id, owner_id, source, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.* FROM g
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT ON CONSTRAINT analytics_message_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    campaign_hours AS (
      INSERT INTO public.analytics_campaign_hours AS a (workspace_id, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT analytics_campaign_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    owner_hours AS (
      INSERT INTO public.analytics_owner_hours AS a (workspace_id, owner_id, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.owner_id, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_owner_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    identity_hours AS (
      INSERT INTO public.analytics_identity_hours AS a (workspace_id, identity_id, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.identity_id, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_identity_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    ),
    source_hours AS (
      INSERT INTO public.analytics_source_hours AS a (workspace_id, source, hour, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
      SELECT g.workspace_id, g.source, g.hour, g.campaign_id, g.step_position, g.variant_label, sum(g.sent)::integer, sum(g.delivered)::integer, sum(g.opened)::integer, sum(g.clicked)::integer, sum(g.replied)::integer, sum(g.interested)::integer, sum(g.meeting)::integer, sum(g.bounced)::integer, sum(g.unsubscribed)::integer, sum(g.complained)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(g.sent) <> 0 OR sum(g.delivered) <> 0 OR sum(g.opened) <> 0 OR sum(g.clicked) <> 0 OR sum(g.replied) <> 0 OR sum(g.interested) <> 0 OR sum(g.meeting) <> 0 OR sum(g.bounced) <> 0 OR sum(g.unsubscribed) <> 0 OR sum(g.complained) <> 0
      ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT analytics_source_hours_key DO UPDATE SET
        sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
    )
    SELECT 1;--> statement-breakpoint

-- The lead rollups record moments no row keeps (a status change is counted when it was made),
-- so they are split, not summed again: each hour keeps its totals (`net` and `created`), the
-- live leads made in it move to the quarter hours of their created_at under their current owner,
-- source and status (a lead made at 18:40 counts from 18:30), and what remains of the hour (a
-- change of status, owner or source made in it) stays at its first quarter hour, as before. So
-- every count at the end of an hour, and analytics_lead_days, are as they were; a lead's first
-- day is exact in every zone; only a change made before this migration in the part of an hour
-- after a quarter-offset midnight keeps the day before.
CREATE TEMPORARY TABLE analytics_lead_quarters AS
WITH made AS (
  SELECT l.workspace_id, date_bin('15 minutes', l.created_at, '2000-01-01 00:00:00+00') AS quarter, l.owner_id, l.source, l.status,
         count(*)::integer AS n
    FROM public.leads l
   WHERE l.deleted_at IS NULL AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = l.workspace_id)
   GROUP BY 1, 2, 3, 4, 5
)
SELECT x.workspace_id, x.quarter, x.owner_id, x.source, x.status, sum(x.net)::integer AS net, sum(x.created)::integer AS created
  FROM (
    SELECT m.workspace_id, m.quarter, m.owner_id, m.source, m.status, m.n AS net, m.n AS created FROM made m
    UNION ALL
    SELECT m.workspace_id, date_trunc('hour', m.quarter, 'UTC'), m.owner_id, m.source, m.status, -m.n, -m.n FROM made m
    UNION ALL
    SELECT h.workspace_id, h.hour, h.owner_id, h.source, h.status, h.net, h.created FROM public.analytics_lead_hours h
  ) x
 GROUP BY 1, 2, 3, 4, 5
HAVING sum(x.net) <> 0 OR sum(x.created) <> 0;--> statement-breakpoint
DELETE FROM public.analytics_lead_hours;--> statement-breakpoint
INSERT INTO public.analytics_lead_hours (workspace_id, hour, owner_id, source, status, net, created)
SELECT q.workspace_id, q.quarter, q.owner_id, q.source, q.status, q.net, q.created FROM analytics_lead_quarters q
 ORDER BY 1, 2, 3, 4, 5;--> statement-breakpoint
DROP TABLE analytics_lead_quarters;--> statement-breakpoint
DELETE FROM public.analytics_lead_status_hours;--> statement-breakpoint
INSERT INTO public.analytics_lead_status_hours (workspace_id, hour, status, net, created)
SELECT h.workspace_id, h.hour, h.status, sum(h.net)::integer, sum(h.created)::integer
  FROM public.analytics_lead_hours h GROUP BY 1, 2, 3
HAVING sum(h.net) <> 0 OR sum(h.created) <> 0;--> statement-breakpoint
-- Statistics now, so that the page's first reads are planned with them.
ANALYZE public.analytics_message_hours;--> statement-breakpoint
ANALYZE public.analytics_campaign_hours;--> statement-breakpoint
ANALYZE public.analytics_owner_hours;--> statement-breakpoint
ANALYZE public.analytics_identity_hours;--> statement-breakpoint
ANALYZE public.analytics_source_hours;--> statement-breakpoint
ANALYZE public.analytics_lead_hours;--> statement-breakpoint
ANALYZE public.analytics_lead_status_hours;
