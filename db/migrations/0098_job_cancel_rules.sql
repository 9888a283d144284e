-- The local executor's cancelOn rules, published by every executor for the functions it runs
-- (lib/jobs/executor/cancel-rules.ts). An event is fanned out once, by whichever executor locks
-- it first, and that executor applied only the rules of its own functions: a run of a function
-- it did not know (another executor's, of another release or another process's set of
-- functions) slept on through the pause, stop or reply meant to cancel it. Inngest cancels every
-- function's runs on the event; the dispatcher now reads these rows for the functions it lacks.
-- Only the service connection reads or writes them: RLS on and forced, no policy, no grants.
CREATE TABLE "private"."job_cancel_rules" (
	"function_id" text PRIMARY KEY NOT NULL,
	-- [{ "event": name, "expression": Inngest's `if` (a `match` written as one), "timeoutMs"?: n }]
	"rules" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_cancel_rules_rules_array" CHECK (jsonb_typeof("rules") = 'array')
);--> statement-breakpoint
ALTER TABLE "private"."job_cancel_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "private"."job_cancel_rules" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON "private"."job_cancel_rules" FROM PUBLIC, anon, authenticated;
