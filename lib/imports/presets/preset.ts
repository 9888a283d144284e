import { targetKey, type ColumnTarget, type ImportTarget } from "../types";
import { headerKey } from "./header-key";

/**
 * A preset turns a file's header row into one target per column. Its rules are tried in
 * order; each takes the first column whose header (compared by headerKey) is among its
 * names, earlier names first, and then any columns of its fallbacks. A column serves one
 * rule only, so a duplicate header fills its field once and the copy is ignored; a blank
 * header is never matched.
 */
export type PresetRule = {
  target: ColumnTarget;
  /** headerKey forms, preferred first (`["firstphone", "workdirectphone", …]`). */
  headers: readonly string[];
  /** Skip the rule when every one of these fields is already filled (full name beside first and last). */
  unlessMapped?: readonly ImportTarget[];
  /**
   * headerKey forms of the columns that fill a field rule's field when its column is blank:
   * every other column with one of these headers becomes a fallback (read in file order).
   */
  fallbacks?: readonly string[];
};

/** The presets of a file a person (or a program) maps with; imports fed by Apollo's search or the bulk upsert name their own. */
export const PRESET_IDS = [
  "apollo",
  "apollo_legacy",
  "phantombuster_sales_navigator",
  "phantombuster_linkedin_search",
  "phantombuster_profile_scraper",
  "generic",
] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export type ImportPreset = {
  id: PresetId;
  label: string;
  /** Headers (headerKey form) typical of this export: detection scores the share present. */
  signature: readonly string[];
  /** Headers only this vendor writes: a file without any of them is not its export. */
  marks: readonly string[];
  rules: readonly PresetRule[];
  /**
   * For columns no rule took: other forms of the header to look up (generic: `Work Email`
   * also as `email`). Vendor presets leave them ignored.
   */
  looseKeys?: (key: string) => string[];
};

export const field = (name: ImportTarget): ColumnTarget => ({ kind: "field", field: name });
export const custom = (key: string): ColumnTarget => ({ kind: "custom", key });
export const IGNORE: ColumnTarget = { kind: "ignore" };

export function mapHeadersWithPreset(preset: ImportPreset, headers: readonly string[]): ColumnTarget[] {
  const keys = headers.map(headerKey);
  const columns: (ColumnTarget | null)[] = headers.map(() => null);
  const filled = new Set<string>();

  const assign = (index: number, target: ColumnTarget) => {
    columns[index] = target;
    const key = targetKey(target);
    if (key) filled.add(key);
  };

  const runRules = (keysOf: (index: number) => string[]) => {
    for (const rule of preset.rules) {
      const key = targetKey(rule.target);
      if (key && filled.has(key)) continue;
      if (rule.unlessMapped?.every((t) => filled.has(t))) continue;
      const index = findColumn(rule.headers, keysOf, columns);
      if (index === null) continue;
      assign(index, rule.target);
      if (rule.target.kind !== "field" || !rule.fallbacks) continue;
      for (let i = 0; i < columns.length; i++) {
        if (columns[i] === null && keysOf(i).some((k) => rule.fallbacks!.includes(k))) columns[i] = { ...rule.target, fallback: true };
      }
    }
  };

  runRules((i) => [keys[i]!]);
  if (preset.looseKeys) runRules((i) => (keys[i] ? preset.looseKeys!(keys[i]!) : []));
  return columns.map((c) => c ?? IGNORE);
}

function findColumn(names: readonly string[], keysOf: (index: number) => string[], columns: (ColumnTarget | null)[]): number | null {
  for (const name of names) {
    for (let i = 0; i < columns.length; i++) {
      if (columns[i] === null && keysOf(i).includes(name)) return i;
    }
  }
  return null;
}
