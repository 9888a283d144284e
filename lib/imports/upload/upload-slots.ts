import "server-only";

/**
 * Uploads this process stores at once, from the Imports page (app/api/imports) and the REST API
 * (POST /api/v1/imports) together. Each holds a pooled database connection for as long as its
 * file takes to arrive (a slow connection can take minutes), so without a cap a handful of
 * uploads would leave every other request of this instance waiting for a connection.
 */
export const MAX_CONCURRENT_UPLOADS = 3;

/** What an upload turned away for want of a place is told (with a Retry-After of a minute). */
export const UPLOADS_BUSY = "Other files are being uploaded to this server right now. Try again in a minute.";

// On globalThis: each route's server bundle may hold its own copy of this module, and the cap is the process's.
const slots = ((globalThis as { [key: symbol]: { inProgress: number } })[Symbol.for("lip.uploadSlots")] ??= { inProgress: 0 });

/**
 * A place for one more upload, or null when `max` are under way: claim it before reading the
 * body, and call the release it returns once the upload is over, whatever became of it.
 */
export function claimUploadSlot(max: number = MAX_CONCURRENT_UPLOADS): (() => void) | null {
  if (slots.inProgress >= max) return null;
  slots.inProgress++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    slots.inProgress--;
  };
}
