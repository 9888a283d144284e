import { z } from "zod";
import { headerKey } from "../presets/header-key";
import { ZColumnTarget, type ColumnTarget } from "../types";

/**
 * A saved mapping is kept by header name (`{ "Work Email": { kind: "field", field: "email" } }`)
 * so it applies to another file whatever its column order. Browser-safe: the mapping page
 * applies a saved mapping as soon as it is picked.
 */
export const ZSavedColumns = z
  .record(z.string().max(200), ZColumnTarget)
  .refine((c) => Object.keys(c).length >= 1, "The mapping has no named columns to save.")
  .refine((c) => Object.keys(c).length <= 500, "A mapping has at most 500 columns.");

export type SavedColumns = z.infer<typeof ZSavedColumns>;

/** The file's mapping by header name: blank headers cannot be named, and a repeated name keeps its first column. */
export function toSavedColumns(headers: readonly string[], columns: readonly ColumnTarget[]): SavedColumns {
  const saved: SavedColumns = {};
  headers.forEach((header, index) => {
    const name = header.trim();
    const target = columns[index];
    if (name === "" || !target || Object.hasOwn(saved, name)) return;
    saved[name] = target;
  });
  return saved;
}

function targetKey(target: ColumnTarget): string | null {
  return target.kind === "field" ? target.field : target.kind === "custom" ? `custom:${target.key}` : null;
}

/**
 * A saved mapping applied to a file's headers: each header takes the target saved under the
 * same name (exactly, else compared as headerKey: `E-mail` finds `Email`); columns it does
 * not name are ignored, and a field already filled by an earlier column is not filled twice.
 */
export function applySavedColumns(headers: readonly string[], saved: SavedColumns): ColumnTarget[] {
  const byKey = new Map<string, ColumnTarget>();
  for (const [name, target] of Object.entries(saved)) {
    const key = headerKey(name);
    if (key !== "" && !byKey.has(key)) byKey.set(key, target);
  }
  const usedNames = new Set<string>();
  const filled = new Set<string>();
  return headers.map((header) => {
    const name = header.trim();
    if (name === "" || usedNames.has(name)) return { kind: "ignore" };
    usedNames.add(name);
    const target = (Object.hasOwn(saved, name) ? saved[name] : undefined) ?? byKey.get(headerKey(name));
    const key = target ? targetKey(target) : null;
    if (!target || !key || filled.has(key)) return { kind: "ignore" };
    filled.add(key);
    return target;
  });
}
