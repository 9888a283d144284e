import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { leads } from "@/db/schema";
import { classifiedAudienceQuery, countAudience, type AudienceCounts, type AudienceScope } from "@/lib/campaigns/audience/resolve-audience";
import type { StoredAudience } from "@/lib/campaigns/types";
import type { PreflightLead } from "./types";

/** How many leads of each variable's list pre-flight names; the rest are counted. */
export const LISTED_LEADS = 10;

/** Blank as the renderer's trim() sees it (ASCII whitespace, not only spaces), as null. */
const text = (column: SQL | AnyPgColumn) => sql`nullif(btrim(${column}, E' \\t\\n\\r\\f\\v'), '')`;

/**
 * A variable's value for a lead as SQL, null when empty: the same fields the renderer fills
 * (lib/campaigns/templates), read here in bulk so a million leads are one pass.
 */
function valueOf(name: string): SQL | null {
  switch (name) {
    case "first_name":
      return text(leads.firstName);
    case "last_name":
      return text(leads.lastName);
    case "full_name":
      return text(sql`concat_ws(' ', ${text(leads.firstName)}, ${text(leads.lastName)})`);
    case "email":
      return text(leads.email);
    case "title":
      return text(leads.title);
    case "seniority":
      return text(leads.seniority);
    case "department":
      return text(leads.department);
    case "company":
      return text(leads.companyName);
    case "city":
      return text(leads.city);
    case "country":
      return text(leads.country);
    case "icebreaker":
      return text(sql`${leads.enrichment} ->> 'icebreaker'`);
  }
  if (name.startsWith("custom.")) return text(sql`${leads.customFields} ->> ${name.slice("custom.".length)}`);
  return null;
}

export type EmptyVariable = { name: string; count: number; leads: PreflightLead[] };

/**
 * The audience's counts and, for each variable used somewhere without a fallback, how many
 * eligible leads have it empty (they will be skipped, never sent a blank) with the first few of
 * them by name. The counts are one pass over the audience; each list stops at its first few
 * leads. Unknown names are template errors already, and are not counted here.
 */
export async function resolveAudienceWithEmptyVariables(
  tx: Executor,
  scope: AudienceScope & { audience: StoredAudience },
  names: readonly string[],
  /** Sets of variables: how many eligible leads have at least one of a set's empty (`anyEmpty`, in the same order). */
  sets: readonly (readonly string[])[] = [],
): Promise<{ counts: AudienceCounts; empty: EmptyVariable[]; anyEmpty: number[] }> {
  const known = names.flatMap((name) => {
    const value = valueOf(name);
    return value ? [{ name, value }] : [];
  });
  const values = Object.fromEntries(known.map((v, i) => [`v${i}`, v.value]));
  // A set's value is empty (null) when any of its variables is: counted in the same pass.
  sets.forEach((set, i) => {
    const members = set.flatMap((name) => valueOf(name) ?? []);
    values[`s${i}`] =
      members.length === 0
        ? sql`1`
        : sql`case when ${sql.join(
            members.map((m) => sql`(${m}) is null`),
            sql` or `,
          )} then null else 1 end`;
  });
  const { counts, empty: emptyCounts } = await countAudience(tx, scope, values);
  const anyEmpty = sets.map((_, i) => emptyCounts[`s${i}`] ?? 0);
  const empty = known.map((v, i) => ({ ...v, i, count: emptyCounts[`v${i}`] ?? 0 })).filter((v) => v.count > 0);
  if (empty.length === 0) return { counts, empty: [], anyEmpty };

  // Each list is its own scan that stops once it has its few (no ORDER BY: sorting would read
  // the whole audience again); the first found are as good as any to show.
  const rows = await tx.execute<{ i: number; id: string; name: string | null; email: string | null }>(sql`
    with listed as (${sql.join(
      empty.map(
        (v) => sql`(select ${v.i}::int as i, id from (${classifiedAudienceQuery(scope, { [`v${v.i}`]: v.value })}) classified
          where reason is null and ${sql.identifier(`v${v.i}`)} is null limit ${LISTED_LEADS})`,
      ),
      sql` union all `,
    )})
    select listed.i, ${leads.id} as id, ${valueOf("full_name")} as name, ${leads.email} as email
    from listed join ${leads} on ${leads.id} = listed.id
    order by listed.i, ${leads.id}`);
  return {
    counts,
    anyEmpty,
    empty: empty.map((v) => ({
      name: v.name,
      count: v.count,
      leads: rows.filter((r) => Number(r.i) === v.i).map((r) => ({ id: r.id, name: r.name ?? r.email ?? "Unnamed lead", email: r.email })),
    })),
  };
}
