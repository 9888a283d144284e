import { isTimestampText } from "./timestamp-text";

/**
 * Where a newest-first page ordered by (created_at, id) ends: the last row's instant, to the
 * microsecond as PostgreSQL keeps it (a JS Date would round it and skip or repeat rows that share
 * a millisecond), and its id, opaque to whoever pages. Unlike the last row's id alone, it still
 * says where to go on after that row is deleted between two pages.
 */
export function encodeInstantIdCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString("base64url");
}

/** The cursor, or null for anything such a page did not give (a cursor comes from a URL, so it is input). */
export function decodeInstantIdCursor(cursor: string): { at: string; id: string } | null {
  const [at, id, extra] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!at || !id || extra !== undefined || !isInstantText(at)) return null;
  return isUuid(id) ? { at, id } : null;
}

export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** A UTC instant as `isoMicros` writes it that PostgreSQL will read back. */
function isInstantText(text: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(text) && isTimestampText(text);
}
