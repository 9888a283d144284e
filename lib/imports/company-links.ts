import { normalizeDomain } from "@/lib/leads/normalize";
import { isFreeMailDomain } from "@/lib/email/free-mail";
import type { MappedRow } from "./map-row";
import type { MatchRule } from "./types";

/**
 * What the mapping preview says about a row's company when the import will not keep the name
 * the file gives it. A workspace has one company per domain (merge-sql.ts): a row whose domain
 * (its website's, else its business email's) is already a company's joins that company under
 * its name, and "overwrite" renames the company to the file's name instead; rows of the file
 * sharing a new domain make one company, named by the first of them that names one. Without a
 * word, "QA Corp" at qa-test.example became "Café Ünïcode" (QA, 5 December 2026). Pure and
 * browser-safe.
 */

/** Each business domain any cell of these rows could give a company (every column: the mapping can still change). */
export function candidateDomains(rows: readonly { fields: readonly string[] }[]): string[] {
  const domains = new Set<string>();
  for (const row of rows) {
    for (const cell of row.fields) {
      const domain = normalizeDomain(cell);
      if (domain && !isFreeMailDomain(domain)) domains.add(domain);
    }
  }
  return [...domains];
}

/**
 * Per row (in file order), the note for its company name, or null when the file's name is the
 * one the lead's company will have. `existing` holds the names of the workspace's companies by domain.
 */
export function companyNameNotes(
  results: readonly MappedRow[],
  existing: Readonly<Record<string, string>>,
  onMatch: MatchRule,
): (string | null)[] {
  const namedInFile = new Map<string, string>();
  return results.map((result) => {
    const company = result.kind === "lead" ? result.lead.company : null;
    if (!company?.domain || company.name === null) return null;
    const { domain, name } = company;
    const current = existing[domain];
    // "Skip" leaves existing companies as they are, "fill empty" fills only a name that is the
    // domain itself (a domain-only import's), "overwrite" takes the file's name.
    const keepsName = current !== undefined && (onMatch === "skip" || (onMatch === "fill_empty" && current !== domain));
    if (keepsName) {
      return sameName(current, name)
        ? null
        : `${domain} is already the company “${current}”: the lead joins it under that name (one company per domain).`;
    }
    // The first row naming the domain names the company (a new one, or an existing one renamed).
    const first = namedInFile.get(domain);
    if (first === undefined) {
      namedInFile.set(domain, name);
      return current === undefined || current === domain || sameName(current, name)
        ? null
        : `${domain} is already the company “${current}”: this import renames it “${name}” for all its leads (“Overwrite”).`;
    }
    return sameName(first, name)
      ? null
      : `An earlier row names ${domain} “${first}”: the lead joins that company (one company per domain).`;
  });
}

function sameName(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: "accent" }) === 0;
}
