-- Answers of the model, kept by a hash of the prompt's version, the model and every input
-- (lib/ai/enrichment/lead-insight.ts leadInsightCacheKey): enriching a lead whose inputs did
-- not change is answered from here and costs nothing. Written and read by the jobs only (the
-- service connection), so in `private`, which no API role can reach.
CREATE TABLE private.ai_result_cache (
  workspace_id uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  cache_key text NOT NULL,
  feature public.ai_feature NOT NULL,
  model text NOT NULL,
  value jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, cache_key),
  CONSTRAINT ai_result_cache_key_is_sha256 CHECK (cache_key ~ '^[0-9a-f]{64}$'),
  CONSTRAINT ai_result_cache_value_size CHECK (pg_column_size(value) <= 16384)
);--> statement-breakpoint
REVOKE ALL ON private.ai_result_cache FROM public, anon, authenticated;
