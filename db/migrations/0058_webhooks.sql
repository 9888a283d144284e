CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'webhook_endpoint_disabled';--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_attempts" CHECK ("webhook_deliveries"."attempts" >= 0 and ("webhook_deliveries"."max_attempts" is null or "webhook_deliveries"."attempts" <= "webhook_deliveries"."max_attempts")),
	CONSTRAINT "webhook_deliveries_last_error_length" CHECK (char_length("webhook_deliveries"."last_error") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_delivery_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"ok" boolean NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"manual" boolean DEFAULT false NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_delivery_attempts_error_length" CHECK (char_length("webhook_delivery_attempts"."error") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"event_types" text[] NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"secret_key_id" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"consecutive_failed_events" integer DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_url_length" CHECK (char_length("webhook_endpoints"."url") between 1 and 2000),
	CONSTRAINT "webhook_endpoints_description_length" CHECK (char_length("webhook_endpoints"."description") <= 500),
	CONSTRAINT "webhook_endpoints_event_types" CHECK (cardinality("webhook_endpoints"."event_types") between 1 and 20),
	CONSTRAINT "webhook_endpoints_disabled_reason_length" CHECK (char_length("webhook_endpoints"."disabled_reason") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_webhook_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_endpoint_key" ON "webhook_deliveries" USING btree ("event_id","endpoint_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("workspace_id","endpoint_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_delivery_attempts_key" ON "webhook_delivery_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_workspace_idx" ON "webhook_endpoints" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_events_workspace_idx" ON "webhook_events" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE POLICY "webhook_deliveries_admins_select" ON "webhook_deliveries" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("webhook_deliveries"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_deliveries_admins_update" ON "webhook_deliveries" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("webhook_deliveries"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[])) WITH CHECK ("webhook_deliveries"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_delivery_attempts_admins_select" ON "webhook_delivery_attempts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("webhook_delivery_attempts"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_endpoints_admins_select" ON "webhook_endpoints" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("webhook_endpoints"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_endpoints_admins_insert" ON "webhook_endpoints" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("webhook_endpoints"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_endpoints_admins_update" ON "webhook_endpoints" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("webhook_endpoints"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[])) WITH CHECK ("webhook_endpoints"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_endpoints_admins_delete" ON "webhook_endpoints" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("webhook_endpoints"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_events_admins_select" ON "webhook_events" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("webhook_events"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));