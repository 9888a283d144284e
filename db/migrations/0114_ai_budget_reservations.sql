-- What the model calls under way may still cost (lib/ai/budget.ts). Before a call, a job
-- reserves the most it can cost, under the lock of the workspace's AI settings row and only if
-- the month's ledger, the reservations already held and this one stay within the monthly
-- budget; the call's usage rows replace its reservation in one transaction, and a call that
-- never reached the model gives it back. Enrichment and reply reading checked the ledger and
-- then spent, each on its own, and together passed the budget. A reservation left by a process
-- that died lapses at expires_at. Written and read by the jobs only (the service connection),
-- so in `private`, which no API role can reach.
CREATE TABLE private.ai_budget_reservations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  feature public.ai_feature NOT NULL,
  amount_usd numeric(14, 8) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CONSTRAINT ai_budget_reservations_amount_range CHECK (amount_usd >= 0),
  CONSTRAINT ai_budget_reservations_expiry CHECK (expires_at > created_at)
);--> statement-breakpoint
CREATE INDEX ai_budget_reservations_workspace_idx ON private.ai_budget_reservations (workspace_id, expires_at);--> statement-breakpoint
REVOKE ALL ON private.ai_budget_reservations FROM public, anon, authenticated;
