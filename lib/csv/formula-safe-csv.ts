import { stringify, type Options, type Stringifier } from "csv-stringify";

/**
 * A formula's first character, also in its full-width and small forms (which Apple Numbers reads
 * as the ASCII ones), when nothing but blanks, quotes and invisible
 * characters come before it: spreadsheets that trim a cell's leading spaces or line breaks on
 * import, drop a stray quote, or ignore a character that shows nothing would otherwise still read
 * " =HYPERLINK(…)", "\n=1+1" or "\u200b=1+1" as a formula. Invisible: Unicode's format
 * characters (Cf: zero-width space and joiners, byte-order and direction marks, soft hyphen),
 * the combining grapheme joiner, the variation selectors, and the blank fillers (Hangul, braille)
 * that render as nothing. Whether a given spreadsheet skips them was not verified: a quote in
 * front costs a real cell nothing.
 */
const INVISIBLE = String.raw`\p{Cf}\u034F\uFE00-\uFE0F\u115F\u1160\u2800\u3164\uFFA0`;
/**
 * =, +, - and @ in their full-width and small forms. Not the minus sign (U+2212), which starts no
 * formula and does start pasted figures ("−5 %"), which would show the quote.
 */
const OTHER_FORMS = String.raw`\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B`;
/** Behind blanks, quotes or invisible characters; or one of the other forms first (csv-stringify quotes the ASCII ones there). */
const FORMULA_LOOKING = new RegExp(`^[\\s"'${INVISIBLE}]+[=+\\-@${OTHER_FORMS}]|^[${OTHER_FORMS}]`, "u");

/**
 * The one CSV writer of files people download (lead exports, an import's problem rows, the
 * suppression list, analytics): UTF-8 with a BOM, so spreadsheets read accents right, and every
 * cell a spreadsheet could run as a formula prefixed with a quote, so a lead's field (or an
 * AI-written icebreaker, or an uploaded cell) can never become a formula on someone's machine.
 * csv-stringify's `escape_formulas` covers a cell starting with =, +, -, @, tab or CR (numbers
 * such as -5 stay numbers); the cast covers the rest (FORMULA_LOOKING).
 */
export function formulaSafeCsv(options: Pick<Options, "header" | "columns"> = {}): Stringifier {
  return stringify({
    ...options,
    bom: true,
    escape_formulas: true,
    cast: { string: (value) => (FORMULA_LOOKING.test(value) ? `'${value}` : value) },
  });
}
