-- The local executor's throttle state (lib/jobs/executor/throttle.ts): per throttle key, GCRA's
-- theoretical arrival time and when the next run may start. Only the executor's service
-- connection reads or writes it: RLS on and forced, no policy, no grants.
CREATE TABLE private.job_throttles (
  key text PRIMARY KEY,
  tat timestamptz NOT NULL,
  available_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);--> statement-breakpoint
ALTER TABLE private.job_throttles ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE private.job_throttles FORCE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON private.job_throttles FROM PUBLIC, anon, authenticated;
