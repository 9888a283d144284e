/**
 * A reason written by a person or by the app, ready to be followed by another sentence: its
 * own closing punctuation kept, a full stop added only when it has none (so "…first." does
 * not become "…first..").
 */
export function endSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]["”’)]?$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}
