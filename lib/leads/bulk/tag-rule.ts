/**
 * A tag as the table filters by it: trimmed, not empty, at most 50 characters, no commas (the
 * URL's list separator). Plain code, no zod: ZTag applies it on the server, and the bulk tags box
 * checks with it in the browser without shipping a validation library on the leads page.
 */
export function tagProblem(raw: string): string | null {
  const tag = raw.trim();
  if (tag.length === 0) return "A tag cannot be empty.";
  if (tag.length > 50) return "A tag has at most 50 characters.";
  if (tag.includes(",")) return "A tag cannot contain a comma.";
  return null;
}

/**
 * Each tag once, compared without regard to case ("VIP" and "vip" are one tag), the first
 * spelling kept, in order. A lead's tags hold no two that differ only in case (the leads CHECK
 * leads_tags_unique_ci says the same); QA found an import's "QA-Import" kept beside the file's
 * "qa-import".
 */
export function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tagKey(tag);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What two tags are compared by. The CHECK and the SQL merges compare PostgreSQL's lower(), which
 * under a "C" collation folds ASCII letters only: this folds every letter, so what it keeps never
 * breaks the CHECK.
 */
function tagKey(tag: string): string {
  return tag.toLowerCase();
}

/** Whether the tags hold this one, compared without case (as the bulk actions' SQL compares them). */
export function hasTag(tags: readonly string[], tag: string): boolean {
  return tags.some((t) => tagKey(t) === tagKey(tag));
}
