-- The nightly prune of ended imports' rows (lib/imports/prune-import-rows.ts) marks each import
-- it has finished with, so the next nights do not read its kept rows (its issues) again: before,
-- every night probed every kept row of every import ever ended to find nothing to delete. A
-- pruned import has ended, and cannot run again (its rows are gone). The index holds only the
-- ended imports still to visit.
ALTER TABLE "lead_imports" ADD COLUMN "rows_pruned_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "lead_imports_unpruned_idx" ON "lead_imports" USING btree ("finished_at") WHERE "lead_imports"."rows_pruned_at" is null and "lead_imports"."finished_at" is not null;--> statement-breakpoint
ALTER TABLE "lead_imports" ADD CONSTRAINT "lead_imports_pruned_when_ended" CHECK ("lead_imports"."rows_pruned_at" is null or "lead_imports"."finished_at" is not null);