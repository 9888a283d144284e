import { ZImportRules, type ImportRules } from "./types";

const ON_MATCH: Record<ImportRules["onMatch"], string> = {
  skip: "Existing leads are left as they are",
  fill_empty: "Existing leads get only their empty fields filled",
  overwrite: "Existing leads are overwritten with the file's values",
};

/**
 * An import's rules as sentences for its page and the history list (browser-safe). `names`
 * maps member ids to names; a member who left shows as "a former member". Rules that do not
 * parse (an older shape) say so instead of guessing.
 */
/** `{}`: an import that had no row to apply rules to (a PhantomBuster run with nothing new, or failed). */
const noRules = (rules: unknown) =>
  rules === null || rules === undefined || (typeof rules === "object" && !Array.isArray(rules) && Object.keys(rules).length === 0);

export function describeRules(rules: unknown, names: ReadonlyMap<string, string>): string[] {
  if (noRules(rules)) return [];
  const parsed = ZImportRules.safeParse(rules);
  if (!parsed.success) return ["Rules recorded in an older format"];
  const { onMatch, owner, tags } = parsed.data;
  const who = (id: string) => names.get(id) ?? "a former member";
  const lines = [ON_MATCH[onMatch]];
  if (owner.kind === "none") lines.push("New leads have no owner");
  else if (owner.kind === "member") lines.push(`New leads are owned by ${who(owner.userId)}`);
  else lines.push(`New leads are shared in turn between ${owner.userIds.map(who).join(", ")}`);
  if (tags.length) lines.push(`Tagged ${tags.join(", ")}`);
  return lines;
}

const ON_MATCH_SHORT: Record<ImportRules["onMatch"], string> = {
  skip: "Existing: skipped",
  fill_empty: "Existing: empty fields filled",
  overwrite: "Existing: overwritten",
};

/** The same rules in a few words each, for a cell of the history list. */
export function summarizeRules(rules: unknown, names: ReadonlyMap<string, string>): string[] {
  if (noRules(rules)) return [];
  const parsed = ZImportRules.safeParse(rules);
  if (!parsed.success) return ["Older format"];
  const { onMatch, owner, tags } = parsed.data;
  const who = (id: string) => names.get(id) ?? "a former member";
  const lines = [ON_MATCH_SHORT[onMatch]];
  if (owner.kind === "none") lines.push("No owner");
  else if (owner.kind === "member") lines.push(`Owner: ${who(owner.userId)}`);
  else lines.push(`Owners in turn: ${owner.userIds.map(who).join(", ")}`);
  if (tags.length) lines.push(`Tags: ${tags.join(", ")}`);
  return lines;
}

/** The members named by a rules object (owners), to look up their names. */
export function memberIdsOfRules(rules: unknown): string[] {
  const parsed = ZImportRules.safeParse(rules);
  if (!parsed.success) return [];
  const { owner } = parsed.data;
  return owner.kind === "member" ? [owner.userId] : owner.kind === "round_robin" ? owner.userIds : [];
}
