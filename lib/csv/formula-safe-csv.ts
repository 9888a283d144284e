import { stringify, type Options, type Stringifier } from "csv-stringify";

/**
 * The one CSV writer of files people download (lead exports, an import's problem rows): UTF-8
 * with a BOM, so spreadsheets read accents right, and every cell a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or CR) prefixed with a quote, so a lead's field can
 * never become a formula on someone's machine.
 */
export function formulaSafeCsv(options: Pick<Options, "header" | "columns"> = {}): Stringifier {
  return stringify({ ...options, bom: true, escape_formulas: true });
}
