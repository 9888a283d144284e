-- At most 20 webhook endpoints per workspace (MAX_WEBHOOK_ENDPOINTS, lib/webhooks/endpoints.ts:
-- deliveries take turns by endpoint, so hundreds of them would fill every delivery round ahead
-- of other workspaces). The service counted them, but an admin's token could insert more
-- through the Data API. The database now counts too, under the same advisory lock the service
-- takes, so two inserts at once count one after the other.
CREATE OR REPLACE FUNCTION private.webhook_endpoints_capped()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('webhook_endpoints:' || NEW.workspace_id::text, 0));
  IF (SELECT count(*) FROM public.webhook_endpoints e WHERE e.workspace_id = NEW.workspace_id) >= 20 THEN
    RAISE EXCEPTION 'a workspace has at most 20 webhook endpoints' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.webhook_endpoints_capped() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER webhook_endpoints_capped BEFORE INSERT ON public.webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION private.webhook_endpoints_capped();
