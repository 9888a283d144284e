ALTER TABLE "integration_accounts" ADD COLUMN "missing_permission" text;--> statement-breakpoint
ALTER TABLE "integration_accounts" ADD CONSTRAINT "integration_accounts_missing_permission_length" CHECK (char_length("integration_accounts"."missing_permission") <= 300);--> statement-breakpoint
-- Not a secret: members read it beside the status (user roles hold column grants only, 0038).
GRANT SELECT (missing_permission) ON public.integration_accounts TO anon, authenticated;
