import "server-only";
import type { Database } from "@/db";
import { listCompanies } from "./list-companies";
import { DEFAULT_COMPANY_LIST_STATE } from "./list-state";

/** A company as the lead form's company picker offers it. */
export type CompanyChoice = { id: string; name: string; domain: string | null; leadCount: number };

/** How many companies the picker lists at once: the rest are a more precise search away. */
export const COMPANY_CHOICES_SHOWN = 8;

/**
 * The workspace's companies matching what was typed into the lead form's company picker, the
 * ones with the most leads first (nothing typed: the biggest accounts). The company list's own
 * search, so a picker's fragment finds what the Companies page finds ("muller" finds "Müller")
 * and a rare fragment is read from the trigram index at any size.
 */
export async function companyChoices(tx: Database, { workspaceId, q }: { workspaceId: string; q?: string }): Promise<CompanyChoice[]> {
  const page = await listCompanies(tx, {
    workspaceId,
    state: { ...DEFAULT_COMPANY_LIST_STATE, q: q || undefined, sort: "leads", dir: "desc", pageSize: 25 },
  });
  return page.rows.slice(0, COMPANY_CHOICES_SHOWN).map(({ id, name, domain, leadCount }) => ({ id, name, domain, leadCount }));
}
