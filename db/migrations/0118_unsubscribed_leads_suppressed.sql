-- A lead marked unsubscribed by anyone (the lead page, the API, a bulk change, an Instantly sync)
-- puts its address on the workspace's suppression list, as an unsubscribe link does
-- (lib/suppressions/unsubscribe-lead.ts): the status alone kept only this app's sends from it, and
-- changing the status back, or deleting the lead and importing the address again, would have
-- emailed the person again. The entry's reason is `unsubscribe` and its author the person who
-- marked it (null on the service connection); one already there stays as it is. Taking an address
-- off the list stays with admins (Settings → Suppression), whatever becomes of the lead.
-- SECURITY DEFINER: a sales rep who marks their lead unsubscribed may not add suppressions
-- themselves (the insert policies allow people `manual` and `import` entries only). An address
-- the list cannot hold (its shape check) is left out rather than failing the change.
CREATE FUNCTION private.suppress_unsubscribed_lead()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  address text := lower(btrim(NEW.email));
BEGIN
  IF address ~ '^[^@\s]+@[^@\s]+$' AND char_length(address) BETWEEN 3 AND 320 THEN
    INSERT INTO public.suppressions (workspace_id, kind, value, reason, note, created_by)
    VALUES (NEW.workspace_id, 'email', address, 'unsubscribe', 'The lead was marked unsubscribed.', (SELECT auth.uid()))
    ON CONFLICT (workspace_id, kind, value) DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.suppress_unsubscribed_lead() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER leads_unsubscribed_suppressed_insert AFTER INSERT ON public.leads
  FOR EACH ROW WHEN (NEW.status = 'unsubscribed' AND NEW.email IS NOT NULL) EXECUTE FUNCTION private.suppress_unsubscribed_lead();--> statement-breakpoint
CREATE TRIGGER leads_unsubscribed_suppressed_update AFTER UPDATE OF status, email ON public.leads
  FOR EACH ROW WHEN (NEW.status = 'unsubscribed' AND NEW.email IS NOT NULL
    AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.email IS DISTINCT FROM NEW.email))
  EXECUTE FUNCTION private.suppress_unsubscribed_lead();--> statement-breakpoint
-- Leads already unsubscribed.
INSERT INTO public.suppressions (workspace_id, kind, value, reason, note)
SELECT DISTINCT ON (workspace_id, lower(btrim(email))) workspace_id, 'email'::public.suppression_kind, lower(btrim(email)),
  'unsubscribe'::public.suppression_reason, 'The lead was marked unsubscribed.'
FROM public.leads
WHERE status = 'unsubscribed' AND email IS NOT NULL AND deleted_at IS NULL
  AND lower(btrim(email)) ~ '^[^@\s]+@[^@\s]+$' AND char_length(btrim(email)) BETWEEN 3 AND 320
ON CONFLICT (workspace_id, kind, value) DO NOTHING;
