import { z } from "zod";
import { isTimestampText } from "@/lib/db-values/timestamp-text";

/** Where a page of a campaign's enrollments ends: keyset on (created_at, id), in enrollment order. */
export type EnrollmentCursor = { createdAt: string; id: string };

const ZCursor = z.object({
  // Kept as PostgreSQL's own text (microseconds): a JS Date would drop them and repeat or skip rows.
  createdAt: z.string().refine(isTimestampText),
  id: z.uuid(),
});

export function encodeEnrollmentCursor(cursor: EnrollmentCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString("base64url");
}

/** Null for anything this app did not write: a cursor comes from the URL, so it is input. */
export function decodeEnrollmentCursor(cursor: string): EnrollmentCursor | null {
  if (cursor.length > 200) return null;
  const [createdAt = "", id = "", ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (rest.length > 0) return null;
  const parsed = ZCursor.safeParse({ createdAt, id });
  return parsed.success ? parsed.data : null;
}
