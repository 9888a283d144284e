ALTER TABLE "companies" ADD COLUMN "sample_data" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Existing companies a vendor's sandbox created: made in the transaction of a sandbox import's
-- "imported" entry for one of its leads (a batch creates a row's company and writes the entry
-- together: the same now()), or of a sandbox enrichment of one of its leads (an enrichment chunk
-- creates the company of the person it writes).
UPDATE public.companies c SET sample_data = true
  WHERE EXISTS (
    SELECT 1 FROM public.leads l
    JOIN public.lead_activities la ON la.workspace_id = l.workspace_id AND la.lead_id = l.id
    WHERE l.workspace_id = c.workspace_id AND l.company_id = c.id AND la.type = 'imported' AND la.created_at = c.created_at
      AND (la.payload -> 'sandbox' = 'true'::jsonb OR EXISTS (
        SELECT 1 FROM public.lead_imports li
        WHERE li.workspace_id = la.workspace_id AND li.sandbox AND li.id::text = la.payload ->> 'importId')))
  OR EXISTS (
    SELECT 1 FROM public.lead_apollo_enrichments e
    JOIN public.leads l ON l.workspace_id = e.workspace_id AND l.id = e.lead_id
    WHERE e.workspace_id = c.workspace_id AND e.sandbox AND l.company_id = c.id AND e.enriched_at = c.created_at);
