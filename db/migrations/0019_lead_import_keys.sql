CREATE TABLE "lead_import_keys" (
	"import_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "lead_import_keys_pkey" PRIMARY KEY("import_id","key")
);
--> statement-breakpoint
ALTER TABLE "lead_import_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_import_keys" ADD CONSTRAINT "lead_import_keys_import_fkey" FOREIGN KEY ("workspace_id","import_id") REFERENCES "public"."lead_imports"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "lead_import_keys_importers_select" ON "lead_import_keys" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("lead_import_keys"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep']::text[]))::uuid[]));