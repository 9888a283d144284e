CREATE TYPE "public"."ai_feature" AS ENUM('enrichment', 'reply_classification');--> statement-breakpoint
CREATE TYPE "public"."icebreaker_tone" AS ENUM('friendly', 'professional', 'direct', 'playful');--> statement-breakpoint
CREATE TABLE "ai_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"feature" "ai_feature" NOT NULL,
	"model" text NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"cached_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer NOT NULL,
	"cost_usd" numeric(14, 8) NOT NULL,
	"outcome" text NOT NULL,
	"lead_id" uuid,
	"run_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ai_usage_tokens_range" CHECK ("ai_usage"."prompt_tokens" >= 0 and "ai_usage"."completion_tokens" >= 0 and "ai_usage"."cached_tokens" between 0 and "ai_usage"."prompt_tokens"),
	CONSTRAINT "ai_usage_cost_range" CHECK ("ai_usage"."cost_usd" >= 0),
	CONSTRAINT "ai_usage_outcome_known" CHECK ("ai_usage"."outcome" in ('valid', 'invalid', 'refused')),
	CONSTRAINT "ai_usage_model_length" CHECK (char_length("ai_usage"."model") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "ai_usage" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "workspace_ai_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"icp_description" text DEFAULT '' NOT NULL,
	"target_titles" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_seniorities" text[] DEFAULT '{}'::text[] NOT NULL,
	"target_industries" text[] DEFAULT '{}'::text[] NOT NULL,
	"company_sizes" text[] DEFAULT '{}'::text[] NOT NULL,
	"countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"icebreaker_tone" "icebreaker_tone" DEFAULT 'friendly' NOT NULL,
	"icebreaker_language" text DEFAULT 'English' NOT NULL,
	"model" text,
	"monthly_budget_usd" numeric(10, 2),
	"prices" jsonb DEFAULT '{"gpt-4o-mini":{"input":0.15,"cachedInput":0.075,"output":0.6},"gpt-4.1-mini":{"input":0.4,"cachedInput":0.1,"output":1.6},"gpt-5-mini":{"input":0.25,"cachedInput":0.025,"output":2}}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_ai_settings_icp_length" CHECK (char_length("workspace_ai_settings"."icp_description") <= 4000),
	CONSTRAINT "workspace_ai_settings_language_length" CHECK (char_length("workspace_ai_settings"."icebreaker_language") between 1 and 40),
	CONSTRAINT "workspace_ai_settings_model_length" CHECK (char_length("workspace_ai_settings"."model") between 1 and 100),
	CONSTRAINT "workspace_ai_settings_budget_range" CHECK ("workspace_ai_settings"."monthly_budget_usd" >= 0),
	CONSTRAINT "workspace_ai_settings_list_sizes" CHECK (cardinality("workspace_ai_settings"."target_titles") <= 50 and cardinality("workspace_ai_settings"."target_seniorities") <= 20 and cardinality("workspace_ai_settings"."target_industries") <= 50
        and cardinality("workspace_ai_settings"."company_sizes") <= 20 and cardinality("workspace_ai_settings"."countries") <= 100)
);
--> statement-breakpoint
ALTER TABLE "workspace_ai_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ai_usage" ADD CONSTRAINT "ai_usage_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_ai_settings" ADD CONSTRAINT "workspace_ai_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_ai_settings" ADD CONSTRAINT "workspace_ai_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_usage_workspace_created_idx" ON "ai_usage" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE POLICY "ai_usage_readers_select" ON "ai_usage" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("ai_usage"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','analyst']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "workspace_ai_settings_members_select" ON "workspace_ai_settings" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("workspace_ai_settings"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "workspace_ai_settings_admins_update" ON "workspace_ai_settings" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("workspace_ai_settings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[])) WITH CHECK ("workspace_ai_settings"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
-- Every workspace has its AI settings row from the start, with the defaults: admins only ever
-- update it (there is no insert policy), and a job reading it always finds one.
CREATE OR REPLACE FUNCTION private.create_workspace_ai_settings()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.workspace_ai_settings (workspace_id) VALUES (NEW.id) ON CONFLICT (workspace_id) DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.create_workspace_ai_settings() FROM public;--> statement-breakpoint
CREATE TRIGGER workspaces_create_ai_settings AFTER INSERT ON public.workspaces
  FOR EACH ROW EXECUTE FUNCTION private.create_workspace_ai_settings();--> statement-breakpoint
INSERT INTO public.workspace_ai_settings (workspace_id) SELECT id FROM public.workspaces ON CONFLICT (workspace_id) DO NOTHING;
