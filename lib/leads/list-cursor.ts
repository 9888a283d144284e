import { z } from "zod";
import { LEAD_SOURCES, LEAD_STATUSES } from "@/db/schema/leads";
import { isTimestampText } from "@/lib/db-values/timestamp-text";
import { LEAD_SORTS, type LeadSort } from "./list-state";

/**
 * The keyset cursor of the lead table: the sort it was written for, the sort key of the row it
 * points at and that row's id (the tie-breaker). Opaque in the URL (base64url JSON), but not a
 * secret: it only says where a page starts, and RLS still decides what is read. What matters is
 * that a cursor from another sort, or one edited by hand, is refused here instead of reaching
 * SQL as a value of the wrong type (the list then shows the first page with a notice).
 */

/** The sort key as the database returns it: text for timestamps and text keys, a number for scores and ranks. */
export type SortValue = string | number | null;

export type LeadCursor = { sort: LeadSort; dir: "asc" | "desc"; value: SortValue; id: string };

/** PostgreSQL's text form of a timestamptz (ISO DateStyle), or the sentinel for "no activity". */
const timestampText = z.string().refine((v) => v === "-infinity" || isTimestampText(v));

/** PostgreSQL stores no NUL in text: one in a forged key would fail the statement. */
const keyText = z
  .string()
  .max(1000)
  .refine((v) => !v.includes("\u0000"));

/** What each sort's key may be; anything else is a forged or stale cursor. */
export const SORT_VALUE_SCHEMAS: Record<LeadSort, z.ZodType<SortValue>> = {
  created: timestampText,
  lastActivity: timestampText,
  name: keyText,
  title: keyText,
  company: keyText,
  email: keyText,
  // Statuses and sources by their position in the enum (the stored sort columns).
  status: z
    .number()
    .int()
    .min(0)
    .max(LEAD_STATUSES.length - 1),
  source: z
    .number()
    .int()
    .min(0)
    .max(LEAD_SOURCES.length - 1),
  score: z.number().int().min(0).max(100),
  owner: z.uuid().nullable(),
  /** The first tag, unaccented and lower-cased. */
  tags: keyText,
  /** -1: no fit score yet. */
  fitScore: z.number().int().min(-1).max(100),
  /** The icebreaker, unaccented and lower-cased ('' for none). */
  icebreaker: keyText,
};

/**
 * The version of a sort's key, where it changed: a cursor holds a key, and a key written before
 * the change compares wrongly with the stored ones (rows skipped or repeated), so a cursor of an
 * earlier version is refused like a stale one. 2: the text keys unaccented (migration 0128).
 * Cursors of version 1 carry no `v`.
 */
const KEY_VERSIONS: Partial<Record<LeadSort, number>> = { name: 2, title: 2, company: 2, tags: 2, icebreaker: 2 };

const ZCursor = z.object({
  s: z.enum(LEAD_SORTS),
  d: z.enum(["asc", "desc"]),
  k: z.unknown(),
  i: z.uuid(),
  v: z.number().int().optional(),
});

export function encodeCursor(cursor: LeadCursor): string {
  const json = JSON.stringify({ s: cursor.sort, d: cursor.dir, k: cursor.value, i: cursor.id, v: KEY_VERSIONS[cursor.sort] });
  return Buffer.from(json, "utf8").toString("base64url");
}

/** The cursor, or null when it is malformed, forged, or was written for another sort or direction. */
export function decodeCursor(raw: string, expected: { sort: LeadSort; dir: "asc" | "desc" }): LeadCursor | null {
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(raw)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = ZCursor.safeParse(json);
  if (!parsed.success || parsed.data.s !== expected.sort || parsed.data.d !== expected.dir) return null;
  if ((parsed.data.v ?? 1) !== (KEY_VERSIONS[parsed.data.s] ?? 1)) return null;
  const value = SORT_VALUE_SCHEMAS[parsed.data.s].safeParse(parsed.data.k);
  if (!value.success) return null;
  return { sort: parsed.data.s, dir: parsed.data.d, value: value.data, id: parsed.data.i };
}
