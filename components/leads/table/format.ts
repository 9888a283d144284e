import type { LeadTotal } from "@/lib/leads/lead-list-types";

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const exact = new Intl.NumberFormat("en");

/** "1,234 leads" when counted, "about 1.2M leads" when the planner estimated. */
export function formatLeadTotal(total: LeadTotal): string {
  const noun = total.value === 1 ? "lead" : "leads";
  if (total.kind === "exact") return `${exact.format(total.value)} ${noun}`;
  return `about ${compact.format(total.value)} ${noun}`;
}
