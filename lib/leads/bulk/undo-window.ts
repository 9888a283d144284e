/**
 * How long a finished bulk delete can be undone. The lead table's toast offers Undo for
 * BULK_UNDO_SECONDS; the server takes an undo for BULK_UNDO_LIMIT_SECONDS after the delete ended,
 * because the toast stays while the pointer rests on it. Deleted leads leave their Instantly
 * campaigns only after that (inngest/functions/leads/take-deleted-leads-out-of-instantly.ts).
 * No imports: the browser bundle reads it.
 */
export const BULK_UNDO_SECONDS = 10;
export const BULK_UNDO_LIMIT_SECONDS = 60;
