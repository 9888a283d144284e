/**
 * The imports' enum values, free of drizzle so browser code (the import pages) can import
 * them: db/schema/lead-imports.ts builds its pgEnums from these.
 */
export const IMPORT_STATUSES = ["mapping", "queued", "running", "paused", "completed", "failed", "cancelled"] as const;
/** What happened to an input row that was not written (inserted and updated rows are only counted). */
export const IMPORT_OUTCOMES_NOT_WRITTEN = ["skipped", "failed"] as const;

export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ImportIssueOutcome = (typeof IMPORT_OUTCOMES_NOT_WRITTEN)[number];
