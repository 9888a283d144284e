CREATE TABLE "analytics_identity_source_days" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"step_position" smallint NOT NULL,
	"variant_label" text,
	"day" timestamp with time zone NOT NULL,
	"identity_id" uuid,
	"source" "lead_source",
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"clicked" integer DEFAULT 0 NOT NULL,
	"replied" integer DEFAULT 0 NOT NULL,
	"interested" integer DEFAULT 0 NOT NULL,
	"meeting" integer DEFAULT 0 NOT NULL,
	"bounced" integer DEFAULT 0 NOT NULL,
	"unsubscribed" integer DEFAULT 0 NOT NULL,
	"complained" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_identity_source_days_key" UNIQUE NULLS NOT DISTINCT("workspace_id","identity_id","day","source","campaign_id","step_position","variant_label")
);
--> statement-breakpoint
ALTER TABLE "analytics_identity_source_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "analytics_owner_identity_days" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"step_position" smallint NOT NULL,
	"variant_label" text,
	"day" timestamp with time zone NOT NULL,
	"owner_id" uuid,
	"identity_id" uuid,
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"clicked" integer DEFAULT 0 NOT NULL,
	"replied" integer DEFAULT 0 NOT NULL,
	"interested" integer DEFAULT 0 NOT NULL,
	"meeting" integer DEFAULT 0 NOT NULL,
	"bounced" integer DEFAULT 0 NOT NULL,
	"unsubscribed" integer DEFAULT 0 NOT NULL,
	"complained" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_owner_identity_days_key" UNIQUE NULLS NOT DISTINCT("workspace_id","owner_id","day","identity_id","campaign_id","step_position","variant_label")
);
--> statement-breakpoint
ALTER TABLE "analytics_owner_identity_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "analytics_owner_source_days" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"step_position" smallint NOT NULL,
	"variant_label" text,
	"day" timestamp with time zone NOT NULL,
	"owner_id" uuid,
	"source" "lead_source",
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"clicked" integer DEFAULT 0 NOT NULL,
	"replied" integer DEFAULT 0 NOT NULL,
	"interested" integer DEFAULT 0 NOT NULL,
	"meeting" integer DEFAULT 0 NOT NULL,
	"bounced" integer DEFAULT 0 NOT NULL,
	"unsubscribed" integer DEFAULT 0 NOT NULL,
	"complained" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_owner_source_days_key" UNIQUE NULLS NOT DISTINCT("workspace_id","owner_id","day","source","campaign_id","step_position","variant_label")
);
--> statement-breakpoint
ALTER TABLE "analytics_owner_source_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_identity_source_days" ADD CONSTRAINT "analytics_identity_source_days_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_owner_identity_days" ADD CONSTRAINT "analytics_owner_identity_days_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_owner_source_days" ADD CONSTRAINT "analytics_owner_source_days_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_identity_source_days_source_idx" ON "analytics_identity_source_days" USING btree ("workspace_id","source","day");--> statement-breakpoint
CREATE INDEX "analytics_owner_identity_days_identity_idx" ON "analytics_owner_identity_days" USING btree ("workspace_id","identity_id","day");--> statement-breakpoint
CREATE INDEX "analytics_owner_source_days_source_idx" ON "analytics_owner_source_days" USING btree ("workspace_id","source","day");--> statement-breakpoint
CREATE POLICY "analytics_identity_source_days_analysts_select" ON "analytics_identity_source_days" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_identity_source_days"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "analytics_owner_identity_days_analysts_select" ON "analytics_owner_identity_days" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_owner_identity_days"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "analytics_owner_source_days_analysts_select" ON "analytics_owner_source_days" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_owner_source_days"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));--> statement-breakpoint
-- The pair tables (analytics_owner_identity_days, _owner_source_days, _identity_source_days)
-- are written by the same statement as every other message rollup: g, the statement's
-- contribution at the widest grain, summed per day and pair, so every table moves by the same
-- amounts in the same transaction. The function is 0070's with the three pair tables added.
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
          SELECT r.sign, r.workspace_id, date_trunc('hour', s.at, 'UTC') AS hour, r.campaign_id, r.step_position,
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

-- The data already there: each day and pair summed from analytics_message_hours.
INSERT INTO public.analytics_owner_identity_days (workspace_id, owner_id, day, identity_id, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
SELECT h.workspace_id, h.owner_id, date_trunc('day', h.hour, 'UTC'), h.identity_id, h.campaign_id, h.step_position, h.variant_label, sum(h.sent)::integer, sum(h.delivered)::integer, sum(h.opened)::integer, sum(h.clicked)::integer, sum(h.replied)::integer, sum(h.interested)::integer, sum(h.meeting)::integer, sum(h.bounced)::integer, sum(h.unsubscribed)::integer, sum(h.complained)::integer
FROM public.analytics_message_hours h GROUP BY 1, 2, 3, 4, 5, 6, 7
HAVING sum(h.sent) <> 0 OR sum(h.delivered) <> 0 OR sum(h.opened) <> 0 OR sum(h.clicked) <> 0 OR sum(h.replied) <> 0 OR sum(h.interested) <> 0 OR sum(h.meeting) <> 0 OR sum(h.bounced) <> 0 OR sum(h.unsubscribed) <> 0 OR sum(h.complained) <> 0;--> statement-breakpoint
INSERT INTO public.analytics_owner_source_days (workspace_id, owner_id, day, source, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
SELECT h.workspace_id, h.owner_id, date_trunc('day', h.hour, 'UTC'), h.source, h.campaign_id, h.step_position, h.variant_label, sum(h.sent)::integer, sum(h.delivered)::integer, sum(h.opened)::integer, sum(h.clicked)::integer, sum(h.replied)::integer, sum(h.interested)::integer, sum(h.meeting)::integer, sum(h.bounced)::integer, sum(h.unsubscribed)::integer, sum(h.complained)::integer
FROM public.analytics_message_hours h GROUP BY 1, 2, 3, 4, 5, 6, 7
HAVING sum(h.sent) <> 0 OR sum(h.delivered) <> 0 OR sum(h.opened) <> 0 OR sum(h.clicked) <> 0 OR sum(h.replied) <> 0 OR sum(h.interested) <> 0 OR sum(h.meeting) <> 0 OR sum(h.bounced) <> 0 OR sum(h.unsubscribed) <> 0 OR sum(h.complained) <> 0;--> statement-breakpoint
INSERT INTO public.analytics_identity_source_days (workspace_id, identity_id, day, source, campaign_id, step_position, variant_label, sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
SELECT h.workspace_id, h.identity_id, date_trunc('day', h.hour, 'UTC'), h.source, h.campaign_id, h.step_position, h.variant_label, sum(h.sent)::integer, sum(h.delivered)::integer, sum(h.opened)::integer, sum(h.clicked)::integer, sum(h.replied)::integer, sum(h.interested)::integer, sum(h.meeting)::integer, sum(h.bounced)::integer, sum(h.unsubscribed)::integer, sum(h.complained)::integer
FROM public.analytics_message_hours h GROUP BY 1, 2, 3, 4, 5, 6, 7
HAVING sum(h.sent) <> 0 OR sum(h.delivered) <> 0 OR sum(h.opened) <> 0 OR sum(h.clicked) <> 0 OR sum(h.replied) <> 0 OR sum(h.interested) <> 0 OR sum(h.meeting) <> 0 OR sum(h.bounced) <> 0 OR sum(h.unsubscribed) <> 0 OR sum(h.complained) <> 0;--> statement-breakpoint
-- Statistics now, so that the page's first reads are planned with them.
ANALYZE public.analytics_owner_identity_days;--> statement-breakpoint
ANALYZE public.analytics_owner_source_days;--> statement-breakpoint
ANALYZE public.analytics_identity_source_days;
