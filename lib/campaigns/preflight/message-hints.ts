/**
 * What a reader of a subject or body notices before a spam filter does. Pure.
 */

/** http(s) links and bare www. addresses, up to the first space or closing bracket/quote. */
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"'()\[\]{}]+/gi;

/** The links in a body, each once, in order, without the sentence's trailing punctuation. */
export function findLinks(body: string): string[] {
  const found = (withoutTemplateTags(body).match(LINK) ?? []).map((url) => url.replace(/[.,;:!?]+$/, ""));
  return [...new Set(found)];
}

/** Reasons a subject reads as spam (empty when it does not). */
export function spamSignals(subject: string): string[] {
  const text = withoutTemplateTags(subject);
  const signals: string[] = [];
  const letters = text.match(/\p{L}/gu) ?? [];
  const capitals = text.match(/\p{Lu}/gu) ?? [];
  if (letters.length >= 8 && capitals.length / letters.length > 0.6) signals.push("is written mostly in capitals");
  else if ((text.match(/\b\p{Lu}{4,}\b/gu) ?? []).length >= 2) signals.push("has several words in capitals");
  const exclamations = (text.match(/!/g) ?? []).length;
  if (exclamations >= 2) signals.push(`has ${exclamations} exclamation marks`);
  return signals;
}

/** The text around Liquid markup: a variable's name is not the reader's text. */
function withoutTemplateTags(source: string): string {
  return source.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, " ");
}
