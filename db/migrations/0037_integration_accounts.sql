CREATE TYPE "public"."integration_status" AS ENUM('connected', 'failing', 'disconnected');--> statement-breakpoint
CREATE TYPE "public"."integration_vendor" AS ENUM('apollo', 'instantly', 'phantombuster');--> statement-breakpoint
CREATE TABLE "integration_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"vendor" "integration_vendor" NOT NULL,
	"secret_ciphertext" text,
	"secret_key_id" text,
	"key_last4" text,
	"sandbox" boolean DEFAULT false NOT NULL,
	"status" "integration_status" DEFAULT 'connected' NOT NULL,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_accounts_secret_matches_status" CHECK (("integration_accounts"."status" = 'disconnected') = ("integration_accounts"."secret_ciphertext" is null)
        and ("integration_accounts"."secret_ciphertext" is null) = ("integration_accounts"."secret_key_id" is null)
        and ("integration_accounts"."secret_ciphertext" is null) = ("integration_accounts"."key_last4" is null)),
	CONSTRAINT "integration_accounts_last4_length" CHECK (char_length("integration_accounts"."key_last4") between 1 and 4),
	CONSTRAINT "integration_accounts_last_error_length" CHECK (char_length("integration_accounts"."last_error") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "integration_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "integration_accounts" ADD CONSTRAINT "integration_accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_accounts" ADD CONSTRAINT "integration_accounts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_accounts" ADD CONSTRAINT "integration_accounts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "auth"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "integration_accounts_workspace_vendor_key" ON "integration_accounts" USING btree ("workspace_id","vendor");--> statement-breakpoint
CREATE POLICY "integration_accounts_members_select" ON "integration_accounts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("integration_accounts"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "integration_accounts_admins_insert" ON "integration_accounts" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("integration_accounts"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "integration_accounts_admins_update" ON "integration_accounts" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("integration_accounts"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[])) WITH CHECK ("integration_accounts"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "integration_accounts_admins_delete" ON "integration_accounts" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("integration_accounts"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin']::text[]))::uuid[]));