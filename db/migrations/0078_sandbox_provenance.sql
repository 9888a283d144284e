ALTER TABLE "lead_imports" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "apollo_lead_enrichments" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_apollo_enrichments" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Whether a run was served by a vendor's sandbox is recorded when it is created (from its
-- integration account), so a later reconnect with a real key never makes sample data look real.
-- Existing runs take it from the account they are linked to: Apollo imports and enrichments, and
-- recurring PhantomBuster imports (through their schedule). A one-off PhantomBuster import made
-- before this has no link to its account and stays unlabelled.
UPDATE public.lead_imports li SET sandbox = true
  FROM public.apollo_imports ai JOIN public.integration_accounts a ON a.id = ai.account_id
  WHERE ai.import_id = li.id AND a.sandbox;--> statement-breakpoint
UPDATE public.lead_imports li SET sandbox = true
  FROM public.phantombuster_schedule_runs r
  JOIN public.phantombuster_schedules s ON s.id = r.schedule_id
  JOIN public.integration_accounts a ON a.id = s.account_id
  WHERE r.import_id = li.id AND a.sandbox;--> statement-breakpoint
UPDATE public.apollo_lead_enrichments e SET sandbox = true
  FROM public.integration_accounts a WHERE a.id = e.account_id AND a.sandbox;--> statement-breakpoint
UPDATE public.lead_apollo_enrichments l SET sandbox = true
  FROM public.apollo_lead_enrichments e WHERE e.id = l.enrichment_id AND e.sandbox;
--> statement-breakpoint
-- The lead page says a lead is sample data from its "imported" timeline entries (every member
-- reads the timeline): the entries of sandbox imports say so, as new ones do.
UPDATE public.lead_activities la SET payload = la.payload || '{"sandbox": true}'::jsonb
  FROM public.lead_imports li
  WHERE la.type = 'imported' AND li.sandbox AND li.workspace_id = la.workspace_id
    AND la.payload ? 'importId' AND li.id::text = la.payload->>'importId';
