/** How long a finished bulk delete can be undone: the lead table's toast offers Undo that long. No imports: the browser bundle reads it. */
export const BULK_UNDO_SECONDS = 10;
