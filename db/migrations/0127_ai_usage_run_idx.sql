-- A run's own calls in the usage ledger: its cost after each chunk, and the leads it answered
-- already, which a retried or replayed chunk asks nothing again (lib/ai/enrichment/enrich-leads.ts).
CREATE INDEX "ai_usage_run_idx" ON "ai_usage" USING btree ("workspace_id","run_id","lead_id") WHERE "ai_usage"."run_id" is not null;
