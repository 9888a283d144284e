-- Two of the leads' triggers did work for every row a statement wrote, where an API bulk upsert
-- or an import batch writes hundreds to thousands of rows in one statement.
--
-- 1. leads_company_name (migration 0010) ran its function for every updated lead, though it
--    only acts when the lead's company or its company_name changes (an import's update of a
--    title or tags changes neither). The same trigger, split by event, now says so in its WHEN
--    condition: PostgreSQL skips the call. Same behaviour: for any other update the function
--    left company_name as it was. An insert without company_id and company_name needs nothing.
DROP TRIGGER leads_company_name ON public.leads;--> statement-breakpoint
CREATE TRIGGER leads_company_name_insert BEFORE INSERT ON public.leads
  FOR EACH ROW WHEN (NEW.company_id IS NOT NULL OR NEW.company_name IS NOT NULL)
  EXECUTE FUNCTION private.lead_company_name();--> statement-breakpoint
CREATE TRIGGER leads_company_name_update BEFORE UPDATE ON public.leads
  FOR EACH ROW WHEN (NEW.company_id IS DISTINCT FROM OLD.company_id OR NEW.company_name IS DISTINCT FROM OLD.company_name)
  EXECUTE FUNCTION private.lead_company_name();--> statement-breakpoint

-- 2. leads_webhook_events (migration 0059) ran per row, looking up the workspace's endpoints
--    once per lead and, in a workspace with endpoints, recording each event with its own
--    INSERTs and NOTIFY. It now runs once per statement over the statement's transition tables:
--    the same events with the same payloads (private.webhook_lead_json), each recorded once with
--    one delivery per enabled endpoint subscribed to its type, nothing for a workspace without
--    such an endpoint, and one NOTIFY per workspace.
CREATE OR REPLACE FUNCTION private.leads_webhook_events()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  v_subscribed text[];
  v_notified integer;
BEGIN
  -- "<workspace>/<event type>" for each lead event an enabled endpoint of the statement's
  -- workspaces takes (usually none: then nothing else runs).
  SELECT array_agg(DISTINCT e.workspace_id::text || '/' || t.type) INTO v_subscribed
  FROM (SELECT DISTINCT n.workspace_id FROM new_rows n) w
  JOIN public.webhook_endpoints e ON e.workspace_id = w.workspace_id AND e.enabled
  CROSS JOIN LATERAL unnest(e.event_types) AS t(type)
  WHERE t.type IN ('lead.created', 'lead.updated', 'lead.status_changed', 'lead.unsubscribed');
  IF v_subscribed IS NULL THEN
    RETURN NULL;
  END IF;

  -- Each branch: the statement's events (ev), recorded, one delivery per enabled endpoint
  -- subscribed to the type, one NOTIFY per workspace that got one.
  IF TG_OP = 'INSERT' THEN
    WITH ev AS (
      SELECT n.workspace_id, 'lead.created'::text AS type, jsonb_build_object('lead', private.webhook_lead_json(n)) AS data
      FROM new_rows n
      WHERE n.workspace_id::text || '/lead.created' = ANY (v_subscribed)
    ), recorded AS (
      INSERT INTO public.webhook_events (workspace_id, type, data)
      SELECT ev.workspace_id, ev.type, ev.data FROM ev
      RETURNING id, workspace_id, type
    ), delivered AS (
      INSERT INTO public.webhook_deliveries (workspace_id, event_id, endpoint_id)
      SELECT r.workspace_id, r.id, e.id
      FROM recorded r
      JOIN public.webhook_endpoints e ON e.workspace_id = r.workspace_id AND e.enabled AND r.type = ANY (e.event_types)
      RETURNING workspace_id
    )
    SELECT count(pg_notify('webhook_outbox', d.workspace_id::text)) INTO v_notified
    FROM (SELECT DISTINCT workspace_id FROM delivered) d;
    RETURN NULL;
  END IF;

  WITH pairs AS (
    -- Only the leads that may make an event: a workspace taking lead.updated, or a new status.
    SELECT n.workspace_id, o.status AS old_status, n.status AS new_status,
      private.webhook_lead_json(n) AS v_new, private.webhook_lead_json(o) AS v_old
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.workspace_id::text || '/lead.updated' = ANY (v_subscribed)
      OR (n.status IS DISTINCT FROM o.status AND (n.workspace_id::text || '/lead.status_changed' = ANY (v_subscribed)
        OR n.workspace_id::text || '/lead.unsubscribed' = ANY (v_subscribed)))
  ), ev AS (
    SELECT p.workspace_id, 'lead.status_changed'::text AS type,
      jsonb_build_object('lead', p.v_new, 'previous_status', p.old_status) AS data
    FROM pairs p
    WHERE p.old_status IS DISTINCT FROM p.new_status AND p.workspace_id::text || '/lead.status_changed' = ANY (v_subscribed)
    UNION ALL
    SELECT p.workspace_id, 'lead.unsubscribed', jsonb_build_object('lead', p.v_new)
    FROM pairs p
    WHERE p.old_status IS DISTINCT FROM p.new_status AND p.new_status = 'unsubscribed'
      AND p.workspace_id::text || '/lead.unsubscribed' = ANY (v_subscribed)
    UNION ALL
    SELECT p.workspace_id, 'lead.updated', jsonb_build_object('lead', p.v_new, 'changed', c.changed)
    FROM pairs p
    CROSS JOIN LATERAL (
      SELECT coalesce(jsonb_agg(k.key ORDER BY k.key), '[]'::jsonb) AS changed
      FROM jsonb_each(p.v_new) k
      WHERE k.key NOT IN ('status', 'updated_at') AND k.value IS DISTINCT FROM p.v_old -> k.key
    ) c
    WHERE p.workspace_id::text || '/lead.updated' = ANY (v_subscribed) AND jsonb_array_length(c.changed) > 0
  ), recorded AS (
    INSERT INTO public.webhook_events (workspace_id, type, data)
    SELECT ev.workspace_id, ev.type, ev.data FROM ev
    RETURNING id, workspace_id, type
  ), delivered AS (
    INSERT INTO public.webhook_deliveries (workspace_id, event_id, endpoint_id)
    SELECT r.workspace_id, r.id, e.id
    FROM recorded r
    JOIN public.webhook_endpoints e ON e.workspace_id = r.workspace_id AND e.enabled AND r.type = ANY (e.event_types)
    RETURNING workspace_id
  )
  SELECT count(pg_notify('webhook_outbox', d.workspace_id::text)) INTO v_notified
  FROM (SELECT DISTINCT workspace_id FROM delivered) d;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.leads_webhook_events() FROM public;--> statement-breakpoint
DROP TRIGGER leads_webhook_events ON public.leads;--> statement-breakpoint
CREATE TRIGGER leads_webhook_events_insert AFTER INSERT ON public.leads
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.leads_webhook_events();--> statement-breakpoint
CREATE TRIGGER leads_webhook_events_update AFTER UPDATE ON public.leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.leads_webhook_events();
