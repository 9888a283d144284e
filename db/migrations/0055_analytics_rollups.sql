CREATE TABLE "analytics_lead_hours" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"owner_id" uuid,
	"source" "lead_source" NOT NULL,
	"status" "lead_status" NOT NULL,
	"net" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_lead_hours_key" UNIQUE NULLS NOT DISTINCT("workspace_id","hour","owner_id","source","status")
);
--> statement-breakpoint
ALTER TABLE "analytics_lead_hours" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "analytics_message_hours" (
	"workspace_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"campaign_id" uuid NOT NULL,
	"step_position" smallint NOT NULL,
	"variant_label" text,
	"identity_id" uuid,
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
	CONSTRAINT "analytics_message_hours_key" UNIQUE NULLS NOT DISTINCT("workspace_id","hour","campaign_id","step_position","variant_label","identity_id","owner_id","source")
);
--> statement-breakpoint
ALTER TABLE "analytics_message_hours" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "interested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "meeting_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "lead_owner_id" uuid;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "lead_source" "lead_source";--> statement-breakpoint
ALTER TABLE "analytics_lead_hours" ADD CONSTRAINT "analytics_lead_hours_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_message_hours" ADD CONSTRAINT "analytics_message_hours_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_message_hours_campaign_idx" ON "analytics_message_hours" USING btree ("workspace_id","campaign_id","hour");--> statement-breakpoint
CREATE POLICY "analytics_lead_hours_analysts_select" ON "analytics_lead_hours" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_lead_hours"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "analytics_message_hours_analysts_select" ON "analytics_message_hours" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_message_hours"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));-- The analytics rollups are written only by these triggers (SECURITY DEFINER, owned by the
-- migration's role): members read them through the select policies above; no policy lets
-- anyone write them.

-- An email remembers its lead's owner and source as they were when it was created, so a
-- reassignment later does not move its sends and replies from one rep's figures to another's.
CREATE OR REPLACE FUNCTION private.email_messages_lead_snapshot()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF NEW.lead_source IS NULL THEN
    SELECT l.owner_id, l.source INTO NEW.lead_owner_id, NEW.lead_source
    FROM public.leads l WHERE l.id = NEW.lead_id AND l.workspace_id = NEW.workspace_id;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.email_messages_lead_snapshot() FROM public;--> statement-breakpoint
CREATE TRIGGER email_messages_lead_snapshot BEFORE INSERT ON public.email_messages
  FOR EACH ROW EXECUTE FUNCTION private.email_messages_lead_snapshot();--> statement-breakpoint

-- The emails already there take their lead's owner and source as they are now (the best that
-- is known); this is no edit of the email, so its updated_at stays.
ALTER TABLE public.email_messages DISABLE TRIGGER email_messages_touch_updated_at;--> statement-breakpoint
UPDATE public.email_messages m SET lead_owner_id = l.owner_id, lead_source = l.source
FROM public.leads l WHERE l.id = m.lead_id AND l.workspace_id = m.workspace_id;--> statement-breakpoint
ALTER TABLE public.email_messages ENABLE TRIGGER email_messages_touch_updated_at;--> statement-breakpoint

-- What a set of email_messages rows contributes to analytics_message_hours, times `sign`:
-- for each sent message, one count per funnel stage in the UTC hour of its first time (a soft
-- bounce is no bounce). The statement triggers add the new rows' contribution and take off the
-- old rows', so only what a statement changed moves the counts: a duplicate event changes no
-- timestamp and moves nothing, an earlier event arriving late moves the message to its hour.
-- Rows of a workspace being deleted are left out (its rollup goes with it by cascade).
-- Returned as SQL to EXECUTE in the trigger itself: transition tables are visible only there.
CREATE OR REPLACE FUNCTION private.analytics_message_upsert_sql(rows_sql text)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = ''
AS $fn$
  SELECT format($q$
    INSERT INTO public.analytics_message_hours AS a
      (workspace_id, hour, campaign_id, step_position, variant_label, identity_id, owner_id, source,
       sent, delivered, opened, clicked, replied, interested, meeting, bounced, unsubscribed, complained)
    SELECT g.* FROM (
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
    ) g
    WHERE g.sent <> 0 OR g.delivered <> 0 OR g.opened <> 0 OR g.clicked <> 0 OR g.replied <> 0 OR g.interested <> 0 OR g.meeting <> 0 OR g.bounced <> 0 OR g.unsubscribed <> 0 OR g.complained <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT analytics_message_hours_key DO UPDATE SET
      sent = a.sent + excluded.sent, delivered = a.delivered + excluded.delivered, opened = a.opened + excluded.opened, clicked = a.clicked + excluded.clicked, replied = a.replied + excluded.replied, interested = a.interested + excluded.interested, meeting = a.meeting + excluded.meeting, bounced = a.bounced + excluded.bounced, unsubscribed = a.unsubscribed + excluded.unsubscribed, complained = a.complained + excluded.complained
  $q$, rows_sql)
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_message_upsert_sql(text) FROM public;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.analytics_count_messages()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE private.analytics_message_upsert_sql('SELECT 1 AS sign, * FROM new_rows');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE private.analytics_message_upsert_sql('SELECT -1 AS sign, * FROM old_rows');
  ELSE
    EXECUTE private.analytics_message_upsert_sql('SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows');
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_count_messages() FROM public;--> statement-breakpoint
CREATE TRIGGER analytics_count_messages_insert AFTER INSERT ON public.email_messages
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_messages();--> statement-breakpoint
CREATE TRIGGER analytics_count_messages_update AFTER UPDATE ON public.email_messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_messages();--> statement-breakpoint
CREATE TRIGGER analytics_count_messages_delete AFTER DELETE ON public.email_messages
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_messages();--> statement-breakpoint

-- Leads per hour, owner, source and status (analytics_lead_hours). `net`: a new lead counts
-- from its created_at; a change of status, owner or source, a soft delete or a restore moves
-- it from its old key to its new one at the moment of the change (old rows −1, new rows +1, so
-- an update that changes none of them nets to nothing); a hard delete takes it off then.
-- `created`: live leads by the hour of their created_at under their current key.
-- A lead that becomes interested, has a meeting or is won marks the last email it answered
-- (interested_at, meeting_at: the funnel's last stages), the first time only.
CREATE OR REPLACE FUNCTION private.analytics_lead_upsert_sql(rows_sql text)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = ''
AS $fn$
  SELECT format($q$
    INSERT INTO public.analytics_lead_hours AS a (workspace_id, hour, owner_id, source, status, net, created)
    SELECT g.* FROM (
      SELECT c.workspace_id, c.hour, c.owner_id, c.source, c.status,
             coalesce(sum(c.sign) FILTER (WHERE c.kind = 'net'), 0)::integer AS net,
             coalesce(sum(c.sign) FILTER (WHERE c.kind = 'created'), 0)::integer AS created
      FROM (
        SELECT r.sign, r.workspace_id, date_trunc('hour', k.at, 'UTC') AS hour, r.owner_id, r.source, r.status, k.kind
        FROM (%s) r
        CROSS JOIN LATERAL (VALUES ('net', r.net_at), ('created', r.created_at)) AS k(kind, at)
        WHERE r.deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = r.workspace_id)
      ) c
      GROUP BY c.workspace_id, c.hour, c.owner_id, c.source, c.status
    ) g
    WHERE g.net <> 0 OR g.created <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT analytics_lead_hours_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created
  $q$, rows_sql)
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_lead_upsert_sql(text) FROM public;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.analytics_count_leads()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE private.analytics_lead_upsert_sql('SELECT 1 AS sign, n.created_at AS net_at, n.* FROM new_rows n');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE private.analytics_lead_upsert_sql('SELECT -1 AS sign, now() AS net_at, o.* FROM old_rows o');
  ELSE
    EXECUTE private.analytics_lead_upsert_sql(
      'SELECT 1 AS sign, now() AS net_at, n.* FROM new_rows n UNION ALL SELECT -1 AS sign, now() AS net_at, o.* FROM old_rows o');
    -- The funnel's last stages, on the last email each newly interested (or further) lead answered.
    UPDATE public.email_messages m SET
      interested_at = coalesce(m.interested_at, now()),
      meeting_at = CASE WHEN x.status IN ('meeting', 'won') THEN coalesce(m.meeting_at, now()) ELSE m.meeting_at END
    FROM (
      SELECT n.workspace_id, n.id, n.status FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.status IN ('interested', 'meeting', 'won') AND n.status IS DISTINCT FROM o.status
    ) x
    WHERE m.id = (SELECT last.id FROM public.email_messages last
                  WHERE last.workspace_id = x.workspace_id AND last.lead_id = x.id AND last.replied_at IS NOT NULL
                  ORDER BY last.replied_at DESC, last.id DESC LIMIT 1)
      AND (m.interested_at IS NULL OR (x.status IN ('meeting', 'won') AND m.meeting_at IS NULL));
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_count_leads() FROM public;--> statement-breakpoint
CREATE TRIGGER analytics_count_leads_insert AFTER INSERT ON public.leads
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_leads();--> statement-breakpoint
CREATE TRIGGER analytics_count_leads_update AFTER UPDATE ON public.leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_leads();--> statement-breakpoint
CREATE TRIGGER analytics_count_leads_delete AFTER DELETE ON public.leads
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_leads();--> statement-breakpoint

-- The data already there: each email's funnel; each live lead counted from its created_at in its current status.
DO $$ BEGIN
  EXECUTE private.analytics_message_upsert_sql('SELECT 1 AS sign, * FROM public.email_messages');
  EXECUTE private.analytics_lead_upsert_sql('SELECT 1 AS sign, l.created_at AS net_at, l.* FROM public.leads l');
END $$;
