import type { StoredAudience } from "@/lib/campaigns/types";

/** A campaign's audience rule in a few words (the counts come from resolveAudience). */
export function audienceLabel(audience: StoredAudience | null): string {
  if (!audience) return "No audience yet";
  if (audience.kind === "view") return `Saved view “${audience.viewName}”`;
  if (audience.kind === "filter") return "Leads matching a filter";
  return `${audience.ids.length.toLocaleString("en")} picked ${audience.ids.length === 1 ? "lead" : "leads"}`;
}

/** The lead table showing the audience's leads (a view or filter as its query; picked leads cannot be linked). */
export function audienceHref(audience: StoredAudience | null): string | null {
  if (!audience || audience.kind === "ids") return null;
  return audience.query ? `/leads?${audience.query}` : "/leads";
}
