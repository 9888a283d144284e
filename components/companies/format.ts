import type { LeadTotal } from "@/lib/leads/lead-list-types";

const whole = new Intl.NumberFormat("en");
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** "1 company", "2,000 companies" or, for an estimate, "about 1.2M companies". */
export function formatCompanyTotal(total: LeadTotal): string {
  const noun = total.value === 1 && total.kind === "exact" ? "company" : "companies";
  return total.kind === "exact" ? `${whole.format(total.value)} ${noun}` : `about ${compact.format(total.value)} ${noun}`;
}

export function formatCount(n: number | null): string {
  return n === null ? "—" : whole.format(n);
}

export function formatMoney(n: number | null): string {
  return n === null ? "—" : `$${compact.format(n)}`;
}
