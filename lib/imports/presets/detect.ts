import type { ColumnTarget } from "../types";
import { APOLLO, APOLLO_LEGACY } from "./apollo";
import { GENERIC } from "./generic";
import { headerKey } from "./header-key";
import { PHANTOMBUSTER_LINKEDIN_SEARCH, PHANTOMBUSTER_PROFILE_SCRAPER, PHANTOMBUSTER_SALES_NAVIGATOR } from "./phantombuster";
import { mapHeadersWithPreset, type ImportPreset, type PresetId } from "./preset";

/** Every preset, vendor exports first; the generic one fits any file. */
export const IMPORT_PRESETS: readonly ImportPreset[] = [
  APOLLO,
  APOLLO_LEGACY,
  PHANTOMBUSTER_SALES_NAVIGATOR,
  PHANTOMBUSTER_LINKEDIN_SEARCH,
  PHANTOMBUSTER_PROFILE_SCRAPER,
  GENERIC,
];

export function findPreset(id: string): ImportPreset | null {
  return IMPORT_PRESETS.find((p) => p.id === id) ?? null;
}

/** The words the mapping and history pages show for a stored preset id. */
export function presetLabel(id: string | null | undefined): string {
  if (!id) return "Custom mapping";
  // Not a file's preset: the import was fed by Apollo's search (lib/integrations/apollo/import).
  if (id === "apollo_api") return "Apollo People Search (enriched)";
  // Not a file either: leads sent to the REST API's bulk upsert (lib/imports/upsert-leads.ts).
  if (id === "api") return "REST API bulk upsert";
  return findPreset(id)?.label ?? "Custom mapping";
}

// A vendor export is recognised by at least one header only that vendor writes and by most
// of its typical headers: exports drop and add columns with the plan and the fields chosen,
// so most of the signature or most of the file, whichever is smaller, not all of it.
const MIN_MATCHES = 4;
const MIN_SHARE = 0.6;

export type DetectedPreset = { id: PresetId; label: string; columns: ColumnTarget[] };

/**
 * The preset that fits the header row best, with the mapping it gives: the vendor export
 * with the most of its typical headers present (ties go to the one listed first), else generic.
 */
export function detectPreset(headers: readonly string[]): DetectedPreset {
  const keys = new Set(headers.map(headerKey).filter((k) => k !== ""));
  let best: ImportPreset = GENERIC;
  let bestMatches = 0;
  for (const preset of IMPORT_PRESETS) {
    if (!preset.marks.some((k) => keys.has(k))) continue;
    const matches = preset.signature.filter((k) => keys.has(k)).length;
    const share = matches / Math.min(preset.signature.length, keys.size);
    if (matches >= MIN_MATCHES && share >= MIN_SHARE && matches > bestMatches) {
      best = preset;
      bestMatches = matches;
    }
  }
  return { id: best.id, label: best.label, columns: mapHeadersWithPreset(best, headers) };
}

/** The mapping a chosen preset gives for these headers (the page's preset picker). */
export function mapWithPreset(id: PresetId, headers: readonly string[]): ColumnTarget[] {
  return mapHeadersWithPreset(findPreset(id) ?? GENERIC, headers);
}
