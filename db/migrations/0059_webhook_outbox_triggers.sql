-- Outgoing webhooks' outbox (lib/webhooks): each event is recorded by a trigger in the
-- transaction of the change that causes it, with one delivery per enabled endpoint subscribed
-- to it, so an event exists exactly when its change committed (a rollback leaves none, a crash
-- after the commit loses none). Nothing is written for a workspace without such an endpoint.
-- SECURITY DEFINER: the person whose change it is may not write these tables (admins read them).
-- NOTIFY (delivered at commit, one per workspace and transaction) wakes the delivery job early;
-- its cron finds every due delivery anyway.

CREATE OR REPLACE FUNCTION private.webhook_subscribed(p_workspace uuid, p_type text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.webhook_endpoints e
    WHERE e.workspace_id = p_workspace AND e.enabled AND p_type = ANY (e.event_types)
  );
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.record_webhook_event(p_workspace uuid, p_type text, p_data jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  v_event uuid;
BEGIN
  IF NOT private.webhook_subscribed(p_workspace, p_type) THEN
    RETURN;
  END IF;
  INSERT INTO public.webhook_events (workspace_id, type, data) VALUES (p_workspace, p_type, p_data)
  RETURNING id INTO v_event;
  INSERT INTO public.webhook_deliveries (workspace_id, event_id, endpoint_id)
  SELECT p_workspace, v_event, e.id FROM public.webhook_endpoints e
  WHERE e.workspace_id = p_workspace AND e.enabled AND p_type = ANY (e.event_types);
  PERFORM pg_notify('webhook_outbox', p_workspace::text);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.webhook_lead_json(l public.leads)
RETURNS jsonb
LANGUAGE sql STABLE SET search_path = ''
AS $$
  SELECT jsonb_build_object(
    'id', l.id, 'email', l.email, 'first_name', l.first_name, 'last_name', l.last_name,
    'title', l.title, 'seniority', l.seniority, 'department', l.department, 'phone', l.phone,
    'linkedin_url', l.linkedin_url, 'city', l.city, 'country', l.country, 'time_zone', l.time_zone,
    'company_id', l.company_id, 'company_name', l.company_name, 'owner_id', l.owner_id,
    'status', l.status, 'email_status', l.email_status, 'score', l.score, 'source', l.source,
    'tags', to_jsonb(l.tags), 'custom_fields', l.custom_fields,
    'created_at', l.created_at, 'updated_at', l.updated_at, 'deleted_at', l.deleted_at
  );
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.leads_webhook_events()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  v_new jsonb;
  v_old jsonb;
  v_changed jsonb;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.webhook_endpoints e WHERE e.workspace_id = NEW.workspace_id AND e.enabled) THEN
    RETURN NULL;
  END IF;
  v_new := private.webhook_lead_json(NEW);
  IF TG_OP = 'INSERT' THEN
    PERFORM private.record_webhook_event(NEW.workspace_id, 'lead.created', jsonb_build_object('lead', v_new));
    RETURN NULL;
  END IF;
  v_old := private.webhook_lead_json(OLD);
  IF OLD.status IS DISTINCT FROM NEW.status THEN
    PERFORM private.record_webhook_event(NEW.workspace_id, 'lead.status_changed',
      jsonb_build_object('lead', v_new, 'previous_status', OLD.status));
    IF NEW.status = 'unsubscribed' THEN
      PERFORM private.record_webhook_event(NEW.workspace_id, 'lead.unsubscribed', jsonb_build_object('lead', v_new));
    END IF;
  END IF;
  SELECT coalesce(jsonb_agg(n.key ORDER BY n.key), '[]'::jsonb) INTO v_changed
  FROM jsonb_each(v_new) n
  WHERE n.key NOT IN ('status', 'updated_at') AND n.value IS DISTINCT FROM v_old -> n.key;
  IF jsonb_array_length(v_changed) > 0 THEN
    PERFORM private.record_webhook_event(NEW.workspace_id, 'lead.updated',
      jsonb_build_object('lead', v_new, 'changed', v_changed));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER leads_webhook_events AFTER INSERT OR UPDATE ON public.leads
  FOR EACH ROW EXECUTE FUNCTION private.leads_webhook_events();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.lead_imports_webhook_events()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  PERFORM private.record_webhook_event(NEW.workspace_id, 'import.completed', jsonb_build_object('import', jsonb_build_object(
    'id', NEW.id, 'file_name', NEW.file_name, 'source', NEW.source, 'total_rows', NEW.total_rows,
    'inserted', NEW.inserted, 'updated', NEW.updated, 'skipped', NEW.skipped, 'failed', NEW.failed,
    'companies_created', NEW.companies_created, 'created_by', NEW.created_by,
    'started_at', NEW.started_at, 'finished_at', NEW.finished_at)));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER lead_imports_webhook_events AFTER UPDATE OF status ON public.lead_imports
  FOR EACH ROW WHEN (NEW.status = 'completed' AND OLD.status IS DISTINCT FROM 'completed')
  EXECUTE FUNCTION private.lead_imports_webhook_events();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.campaigns_webhook_events()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  PERFORM private.record_webhook_event(NEW.workspace_id, 'campaign.approved', jsonb_build_object('campaign', jsonb_build_object(
    'id', NEW.id, 'name', NEW.name, 'owner_id', NEW.owner_id, 'approved_by', NEW.approved_by,
    'approved_at', NEW.approved_at, 'approved_content_hash', NEW.approved_content_hash)));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER campaigns_webhook_events AFTER UPDATE OF status ON public.campaigns
  FOR EACH ROW WHEN (NEW.status = 'approved' AND OLD.status IS DISTINCT FROM 'approved')
  EXECUTE FUNCTION private.campaigns_webhook_events();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION private.email_messages_webhook_events()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  v_email jsonb;
BEGIN
  v_email := jsonb_build_object(
    'id', NEW.id, 'campaign_id', NEW.campaign_id, 'enrollment_id', NEW.enrollment_id, 'lead_id', NEW.lead_id,
    'step_position', NEW.step_position, 'variant_label', NEW.variant_label, 'to', NEW.to_email,
    'from', NEW.from_address, 'subject', NEW.subject, 'sent_at', NEW.sent_at);
  IF NEW.status = 'sent' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'sent') THEN
    PERFORM private.record_webhook_event(NEW.workspace_id, 'email.sent', jsonb_build_object('email', v_email));
  END IF;
  IF NEW.replied_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.replied_at IS NULL) THEN
    PERFORM private.record_webhook_event(NEW.workspace_id, 'email.replied',
      jsonb_build_object('email', v_email, 'replied_at', NEW.replied_at));
  END IF;
  IF NEW.bounced_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.bounced_at IS NULL) THEN
    PERFORM private.record_webhook_event(NEW.workspace_id, 'email.bounced',
      jsonb_build_object('email', v_email, 'bounced_at', NEW.bounced_at, 'bounce_type', NEW.bounce_type));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER email_messages_webhook_events AFTER INSERT OR UPDATE OF status, replied_at, bounced_at ON public.email_messages
  FOR EACH ROW EXECUTE FUNCTION private.email_messages_webhook_events();
