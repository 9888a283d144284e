CREATE TYPE "public"."lead_sample_data" AS ENUM('lead', 'values');--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "sample_data" "lead_sample_data";--> statement-breakpoint
-- Existing leads take it from what already says they hold sample data: the "imported" entries of
-- sandbox imports (marked in 0078, or of an import recorded as a sandbox one) and the Apollo
-- enrichments from the sandbox that changed them. A sandbox import created the lead when its
-- entry was written with the lead itself: the same transaction, so the same now(), and the
-- import's source is the lead's.
UPDATE public.leads l SET sample_data = 'values'
  FROM (
    SELECT la.workspace_id, la.lead_id FROM public.lead_activities la
      WHERE la.type = 'imported' AND (la.payload -> 'sandbox' = 'true'::jsonb OR EXISTS (
        SELECT 1 FROM public.lead_imports li
        WHERE li.workspace_id = la.workspace_id AND li.sandbox AND li.id::text = la.payload ->> 'importId'))
    UNION
    SELECT e.workspace_id, e.lead_id FROM public.lead_apollo_enrichments e
      WHERE e.sandbox AND e.outcome = 'updated'
  ) s
  WHERE l.workspace_id = s.workspace_id AND l.id = s.lead_id;--> statement-breakpoint
UPDATE public.leads l SET sample_data = 'lead'
  WHERE l.sample_data = 'values' AND EXISTS (
    SELECT 1 FROM public.lead_activities la
    WHERE la.workspace_id = l.workspace_id AND la.lead_id = l.id AND la.type = 'imported'
      AND la.created_at = l.created_at AND la.payload ->> 'source' = l.source::text
      AND (la.payload -> 'sandbox' = 'true'::jsonb OR EXISTS (
        SELECT 1 FROM public.lead_imports li
        WHERE li.workspace_id = la.workspace_id AND li.sandbox AND li.id::text = la.payload ->> 'importId')));
