import { headerKey } from "../presets/header-key";
import { PHANTOMBUSTER_LINKEDIN_SEARCH, PHANTOMBUSTER_PROFILE_SCRAPER, PHANTOMBUSTER_SALES_NAVIGATOR } from "../presets/phantombuster";
import { mapHeadersWithPreset, type ImportPreset } from "../presets/preset";
import { ZImportMapping, type ImportMapping } from "../types";

const PRESETS: readonly ImportPreset[] = [PHANTOMBUSTER_SALES_NAVIGATOR, PHANTOMBUSTER_LINKEDIN_SEARCH, PHANTOMBUSTER_PROFILE_SCRAPER];

export type ChosenPreset = { preset: ImportPreset; mapping: ImportMapping } | { preset: ImportPreset; problem: string };

/**
 * The PhantomBuster preset for an agent's result file: among those whose mapping gives every
 * lead an identity (Email or LinkedIn URL), the one with the most of its typical headers
 * present (ties go to the one listed first). A result file is a PhantomBuster export whatever
 * its phantom, so unlike an upload it is never read with the generic preset; when no preset
 * finds an identity column, the import waits for a person's mapping.
 */
export function choosePhantomBusterPreset(headers: readonly string[]): ChosenPreset {
  const keys = new Set(headers.map(headerKey));
  const scored = PRESETS.map((preset) => ({
    preset,
    matches: preset.signature.filter((k) => keys.has(k)).length,
    parsed: ZImportMapping.safeParse({ columns: mapHeadersWithPreset(preset, headers) }),
  }));
  const valid = scored.filter((s) => s.parsed.success);
  const best = (valid.length ? valid : scored).reduce((a, b) => (b.matches > a.matches ? b : a));
  if (best.parsed.success) return { preset: best.preset, mapping: best.parsed.data };
  return { preset: best.preset, problem: best.parsed.error.issues[0]?.message ?? "The file's columns need a mapping." };
}
