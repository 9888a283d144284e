import { z } from "zod";
import { headerKey } from "../presets/header-key";
import { targetKey, withMainColumns, ZColumnTarget, type ColumnTarget } from "../types";

/**
 * A saved mapping is kept by header name (`[{ header: "Work Email", target: { kind: "field", field: "email" } }]`)
 * so it applies to another file whatever its column order. A list of pairs, never an object
 * keyed by header: a file's header is anything, and a column headed `__proto__` set the
 * object's prototype instead of a key (zod's record leaves that key out too), so the column was
 * lost. Browser-safe: the mapping page applies a saved mapping as soon as it is picked.
 */
export const ZSavedColumns = z
  .array(
    z.strictObject({
      header: z
        .string()
        .trim()
        .min(1, "A saved mapping names its columns: a blank header cannot be saved.")
        .max(200, "A column name in a saved mapping has at most 200 characters."),
      target: ZColumnTarget,
    }),
  )
  .min(1, "The mapping has no named columns to save.")
  .max(500, "A mapping has at most 500 columns.")
  .superRefine((columns, ctx) => {
    const seen = new Set<string>();
    columns.forEach(({ header }, index) => {
      if (seen.has(header)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "header"],
          message: `Two columns are named “${header}”: a saved mapping names each once.`,
        });
      }
      seen.add(header);
    });
  });

export type SavedColumns = z.infer<typeof ZSavedColumns>;

/**
 * A mapping as lead_import_mappings.columns holds it, `{ [header]: target }` (a JSON object
 * is safe with any key, `__proto__` included), read as pairs: JSON.parse makes every key an own
 * property, and Object.entries lists them all.
 */
export const ZStoredColumns = z
  .custom<object>((stored) => typeof stored === "object" && stored !== null && !Array.isArray(stored), "Not a saved mapping.")
  .transform((stored) => Object.entries(stored).map(([header, target]) => ({ header, target: target as unknown })))
  .pipe(ZSavedColumns);

/** The pairs as lead_import_mappings.columns stores them: Object.fromEntries defines each key, `__proto__` too, as its own. */
export function toStoredColumns(columns: SavedColumns): Record<string, ColumnTarget> {
  return Object.fromEntries(columns.map(({ header, target }) => [header, target]));
}

/** The file's mapping by header name: blank headers cannot be named, and a repeated name keeps its first column. */
export function toSavedColumns(headers: readonly string[], columns: readonly ColumnTarget[]): SavedColumns {
  const saved: SavedColumns = [];
  const named = new Set<string>();
  headers.forEach((header, index) => {
    const name = header.trim();
    const target = columns[index];
    if (name === "" || !target || named.has(name)) return;
    named.add(name);
    saved.push({ header: name, target });
  });
  return saved;
}

/**
 * A saved mapping applied to a file's headers: each header takes the target saved under the
 * same name (exactly, else compared as headerKey: `E-mail` finds `Email`); columns it does
 * not name are ignored, and a field already filled by an earlier column is not filled twice
 * (its fallbacks excepted). A fallback whose main column this file lacks becomes the main one.
 */
export function applySavedColumns(headers: readonly string[], saved: SavedColumns): ColumnTarget[] {
  const byName = new Map<string, ColumnTarget>();
  const byKey = new Map<string, ColumnTarget>();
  for (const { header, target } of saved) {
    if (!byName.has(header)) byName.set(header, target);
    const key = headerKey(header);
    if (key !== "" && !byKey.has(key)) byKey.set(key, target);
  }
  const usedNames = new Set<string>();
  const filled = new Set<string>();
  const columns = headers.map((header): ColumnTarget => {
    const name = header.trim();
    if (name === "" || usedNames.has(name)) return { kind: "ignore" };
    usedNames.add(name);
    const target = byName.get(name) ?? byKey.get(headerKey(name));
    const key = target ? targetKey(target) : null;
    if (!target || !key) return { kind: "ignore" };
    if (target.kind === "field" && target.fallback) return target;
    if (filled.has(key)) return { kind: "ignore" };
    filled.add(key);
    return target;
  });
  return withMainColumns(columns);
}
