CREATE TYPE "public"."job_run_status" AS ENUM('queued', 'running', 'sleeping', 'waiting', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."job_step_op" AS ENUM('run', 'sleep', 'wait', 'send');--> statement-breakpoint
CREATE TYPE "public"."job_step_status" AS ENUM('completed', 'failed', 'retrying', 'sleeping', 'waiting');--> statement-breakpoint
CREATE TABLE "job_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"name" text NOT NULL,
	"data" jsonb NOT NULL,
	"idempotency_key" text,
	"target_function_id" text,
	"ts" timestamp with time zone NOT NULL,
	"dispatched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_events_name_length" CHECK (char_length("job_events"."name") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "job_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid,
	"function_id" text NOT NULL,
	"event_id" uuid NOT NULL,
	"status" "job_run_status" DEFAULT 'queued' NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"claims" integer DEFAULT 0 NOT NULL,
	"concurrency_key" text,
	"concurrency_limit" integer,
	"next_at" timestamp with time zone,
	"lease_owner" text,
	"output" jsonb,
	"error" jsonb,
	"replay_of" uuid,
	"failure_of" uuid,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_runs_attempt_nonnegative" CHECK ("job_runs"."attempt" >= 0 and "job_runs"."claims" >= 0),
	CONSTRAINT "job_runs_terminal_not_due" CHECK ("job_runs"."status" not in ('completed', 'failed', 'cancelled') or "job_runs"."next_at" is null),
	CONSTRAINT "job_runs_concurrency_limit_positive" CHECK ("job_runs"."concurrency_limit" is null or "job_runs"."concurrency_limit" > 0)
);
--> statement-breakpoint
ALTER TABLE "job_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "job_steps" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "job_steps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" uuid NOT NULL,
	"workspace_id" uuid,
	"step_key" text NOT NULL,
	"step_id" text NOT NULL,
	"name" text,
	"op" "job_step_op" NOT NULL,
	"status" "job_step_status" NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"output" jsonb,
	"error" jsonb,
	"attempt_errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"wake_at" timestamp with time zone,
	"wait_event" text,
	"wait_match" jsonb,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_steps_attempts_nonnegative" CHECK ("job_steps"."attempts" >= 0),
	CONSTRAINT "job_steps_wait_has_event" CHECK ("job_steps"."op" <> 'wait' or "job_steps"."wait_event" is not null)
);
--> statement-breakpoint
ALTER TABLE "job_steps" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "job_events" ADD CONSTRAINT "job_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_event_id_job_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."job_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_replay_of_job_runs_id_fk" FOREIGN KEY ("replay_of") REFERENCES "public"."job_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_failure_of_job_runs_id_fk" FOREIGN KEY ("failure_of") REFERENCES "public"."job_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_steps" ADD CONSTRAINT "job_steps_run_id_job_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."job_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "job_events_idempotency_key" ON "job_events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "job_events_undispatched_idx" ON "job_events" USING btree ("name","created_at") WHERE "job_events"."dispatched_at" is null;--> statement-breakpoint
CREATE INDEX "job_events_workspace_created_idx" ON "job_events" USING btree ("workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_runs_due_idx" ON "job_runs" USING btree ("next_at") WHERE "job_runs"."next_at" is not null and "job_runs"."status" <> 'queued';--> statement-breakpoint
CREATE INDEX "job_runs_queued_idx" ON "job_runs" USING btree ("next_at") WHERE "job_runs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "job_runs_workspace_created_idx" ON "job_runs" USING btree ("workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_runs_active_function_idx" ON "job_runs" USING btree ("function_id") WHERE "job_runs"."status" in ('queued', 'running', 'sleeping', 'waiting');--> statement-breakpoint
CREATE INDEX "job_runs_event_idx" ON "job_runs" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "job_runs_leased_key_idx" ON "job_runs" USING btree ("concurrency_key") WHERE "job_runs"."lease_owner" is not null and "job_runs"."concurrency_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "job_steps_run_step_key" ON "job_steps" USING btree ("run_id","step_key");--> statement-breakpoint
CREATE INDEX "job_steps_waiting_idx" ON "job_steps" USING btree ("wait_event") WHERE "job_steps"."status" = 'waiting';--> statement-breakpoint
CREATE POLICY "job_events_admins_select" ON "job_events" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.has_workspace_role("job_events"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "job_runs_admins_select" ON "job_runs" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.has_workspace_role("job_runs"."workspace_id", array['admin']::text[]));--> statement-breakpoint
CREATE POLICY "job_steps_admins_select" ON "job_steps" AS PERMISSIVE FOR SELECT TO "authenticated" USING (private.has_workspace_role("job_steps"."workspace_id", array['admin']::text[]));