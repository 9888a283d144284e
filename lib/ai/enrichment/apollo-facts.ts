/**
 * What the lead insight prompt takes of the person Apollo revealed for a lead
 * (apollo_enriched_people): their headline and their latest positions. The rest of the record
 * (ids, photo, social links, phone flags, the company, which the prompt has from the lead's own
 * company) says nothing more about fit and would cost tokens on every lead.
 *
 * Apollo documents `headline` and `employment_history[]` but not the positions' own fields
 * (vendors file §1.3); these are the names its answers carry (title, organization_name,
 * start_date, end_date, current). A field of another type is left out, never a reason to fail.
 */
export type ApolloFacts = {
  headline?: string;
  positions?: { title?: string; organization?: string; from?: string; to?: string; current?: boolean }[];
};

const POSITIONS = 3;

const textOf = (value: unknown, max: number): string | undefined => {
  if (typeof value !== "string") return undefined;
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean === "" ? undefined : Array.from(clean).slice(0, max).join("").trim();
};

function positionOf(raw: unknown): NonNullable<ApolloFacts["positions"]>[number] | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const p = raw as Record<string, unknown>;
  const position = {
    title: textOf(p.title, 200),
    organization: textOf(p.organization_name, 200),
    from: textOf(p.start_date, 20),
    to: textOf(p.end_date, 20),
    current: typeof p.current === "boolean" ? p.current : undefined,
  };
  if (!position.title && !position.organization) return null;
  return Object.fromEntries(Object.entries(position).filter(([, v]) => v !== undefined));
}

/** Null when the person holds nothing the prompt uses. */
export function apolloFacts(person: unknown): ApolloFacts | null {
  if (!person || typeof person !== "object" || Array.isArray(person)) return null;
  const p = person as Record<string, unknown>;
  const facts: ApolloFacts = {};
  const headline = textOf(p.headline, 300);
  if (headline) facts.headline = headline;
  const history = Array.isArray(p.employment_history) ? p.employment_history : [];
  // Apollo lists the current position first; a position marked current is put first in any case.
  const positions = history
    .map(positionOf)
    .filter((x) => x !== null)
    .sort((a, b) => Number(b.current === true) - Number(a.current === true))
    .slice(0, POSITIONS);
  if (positions.length > 0) facts.positions = positions;
  return Object.keys(facts).length > 0 ? facts : null;
}
