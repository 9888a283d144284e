-- lib/rate-limit's counters move out of public: Supabase's API exposes public, never private.
-- Only the service connection reads or writes them: RLS on and forced, no policy, no grants.
DROP TABLE "rate_limits" CASCADE;--> statement-breakpoint
CREATE TABLE "private"."rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" timestamp with time zone
);--> statement-breakpoint
CREATE INDEX "rate_limits_expire_idx" ON "private"."rate_limits" USING btree ("expire");--> statement-breakpoint
ALTER TABLE "private"."rate_limits" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "private"."rate_limits" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON "private"."rate_limits" FROM PUBLIC, anon, authenticated;
