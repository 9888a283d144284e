import type { StoredAudience } from "@/lib/campaigns/types";

/** A campaign's audience rule in a few words, for lists and the review (the counts come from resolveAudience). */
export function describeAudience(audience: StoredAudience | null): string {
  if (!audience) return "No audience chosen";
  switch (audience.kind) {
    case "view":
      return `Saved view “${audience.viewName}”`;
    case "filter":
      return "Leads matching a filter";
    case "ids":
      return `${audience.ids.length.toLocaleString("en-US")} picked ${audience.ids.length === 1 ? "lead" : "leads"}`;
  }
}
