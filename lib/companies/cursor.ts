import { z } from "zod";
import { isTimestampText } from "@/lib/db-values/timestamp-text";
import { COMPANY_SORTS, type CompanySort } from "./list-state";

/**
 * Where a page of companies ends: the sort key's value and the id of the last row shown, for
 * the sort it was written under. Timestamps travel as ISO text with microseconds (a JS Date
 * would round them to milliseconds and skip or repeat rows that share one).
 */
export type CompanyCursor = { sort: CompanySort; dir: "asc" | "desc"; value: string | number; id: string };

/**
 * The sort as a cursor names it. The name sort's key changed twice: the lower-cased name
 * (migration 0125), then the unaccented one (0128). A cursor written for an older key compares
 * wrongly with the new one and skips or repeats rows, so each key has its own tag (`name`, then
 * `name_lower`, now `name_key`) and an older one is not taken (the first page is shown, with the
 * notice a link's unknown cursor gets).
 */
const CURSOR_SORT = { name: "name_key", size: "size", leads: "leads", created: "created" } as const satisfies Record<CompanySort, string>;
const SORT_OF_CURSOR = Object.fromEntries(Object.entries(CURSOR_SORT).map(([sort, tag]) => [tag, sort])) as Record<string, CompanySort>;

const ZCursor = z.discriminatedUnion("s", [
  // What PostgreSQL takes back in each sort's comparison: text without NUL, an integer, a real instant.
  z.object({
    s: z.literal(CURSOR_SORT.name),
    d: z.enum(["asc", "desc"]),
    // A name has at most 300 characters; unaccent writes up to five for one ("⅒" is " 1/10").
    v: z
      .string()
      .max(1500)
      .refine((v) => !v.includes("\u0000")),
    i: z.uuid(),
  }),
  z.object({ s: z.enum(["size", "leads"]), d: z.enum(["asc", "desc"]), v: z.number().int().min(-1).max(2_147_483_647), i: z.uuid() }),
  z.object({
    s: z.literal("created"),
    d: z.enum(["asc", "desc"]),
    v: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
      .refine(isTimestampText),
    i: z.uuid(),
  }),
]);

export function encodeCompanyCursor(cursor: CompanyCursor): string {
  return Buffer.from(JSON.stringify({ s: CURSOR_SORT[cursor.sort], d: cursor.dir, v: cursor.value, i: cursor.id })).toString("base64url");
}

/**
 * The cursor, or null for anything this app did not write or that was written for another
 * sort or direction (a cursor comes from the URL, so it is input).
 */
export function decodeCompanyCursor(raw: string, sort: CompanySort, dir: "asc" | "desc"): CompanyCursor | null {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, "base64url").toString());
  } catch {
    return null;
  }
  const parsed = ZCursor.safeParse(json);
  const cursorSort = parsed.success ? SORT_OF_CURSOR[parsed.data.s] : undefined;
  if (!parsed.success || cursorSort !== sort || parsed.data.d !== dir || !COMPANY_SORTS.includes(cursorSort)) return null;
  return { sort: cursorSort, dir: parsed.data.d, value: parsed.data.v, id: parsed.data.i };
}
