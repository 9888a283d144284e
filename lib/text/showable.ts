/**
 * Characters a name must not hold to show as typed: control characters (a NUL PostgreSQL cannot
 * store, a line break, a terminal's escape sequences), line and paragraph separators, and the
 * bidirectional controls, which make a name read backwards on screen ("invoice" U+202E "vsc.exe"
 * shows as "invoiceexe.csv").
 */
export const UNSHOWABLE = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export const isShowable = (text: string) => !UNSHOWABLE.test(text);

/** What a form says of a name holding one. */
export const UNSHOWABLE_MESSAGE = "Remove the control characters and direction marks: they would not show as typed.";

/**
 * Text from the database as a terminal may print it: each unshowable character as its \u escape,
 * so a name holding an escape sequence can neither clear the screen nor forge a line of output.
 */
export function terminalSafe(text: string): string {
  return text.replace(EVERY_UNSHOWABLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

const EVERY_UNSHOWABLE = new RegExp(UNSHOWABLE.source, "gu");
