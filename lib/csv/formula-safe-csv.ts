import { stringify, type Options, type Stringifier } from "csv-stringify";

/**
 * A formula's first character, also in its full-width forms (which Apple Numbers reads as the
 * ASCII ones), when nothing but blanks, quotes and invisible format characters come before it:
 * spreadsheets that trim a cell's leading spaces or line breaks on import, drop a stray quote,
 * or ignore a zero-width space, a byte-order mark or a direction mark (Unicode's Cf class) would
 * otherwise still read " =HYPERLINK(…)", "\n=1+1" or "\u200b=1+1" as a formula. Whether a
 * given spreadsheet skips those invisible characters was not verified: a quote in front costs a
 * real cell nothing.
 */
const FORMULA_AFTER_BLANKS = /^[\s"'\p{Cf}]+[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

/**
 * The one CSV writer of files people download (lead exports, an import's problem rows, the
 * suppression list, analytics): UTF-8 with a BOM, so spreadsheets read accents right, and every
 * cell a spreadsheet could run as a formula prefixed with a quote, so a lead's field (or an
 * AI-written icebreaker, or an uploaded cell) can never become a formula on someone's machine.
 * csv-stringify's `escape_formulas` covers a cell starting with =, +, -, @, tab or CR (numbers
 * such as -5 stay numbers); the cast covers the same characters behind leading blanks and quotes.
 */
export function formulaSafeCsv(options: Pick<Options, "header" | "columns"> = {}): Stringifier {
  return stringify({
    ...options,
    bom: true,
    escape_formulas: true,
    cast: { string: (value) => (FORMULA_AFTER_BLANKS.test(value) ? `'${value}` : value) },
  });
}
