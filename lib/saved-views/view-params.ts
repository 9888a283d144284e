/**
 * The stored object of a table query, minus what is not part of a view (the page and the open
 * lead). No zod here: the views menu in the browser uses it to tell whether a view was edited.
 */
export function leadViewParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) if (key !== "cursor" && key !== "before" && key !== "lead" && key !== "view") out[key] = value;
  return out;
}
