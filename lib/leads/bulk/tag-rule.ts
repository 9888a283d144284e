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
