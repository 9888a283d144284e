import { parse } from "csv-parse/sync";
import { normaliseSuppression, type SuppressionEntry } from "./normalise";

/**
 * Reads a suppression list a person uploads: a CSV (comma, semicolon or tab) or a plain list,
 * one address or domain a line. With a header row naming an email or domain column (`Email`,
 * `E-mail address`, `Domain`, …) those columns are read, whatever else the file holds (an
 * export from another tool); without one, each row's first cell.
 *
 * Formula-safe files: a spreadsheet, and our own exports, write a cell that would run as a
 * formula with a leading apostrophe (`'@example.com`); it is taken off again. Cells that are
 * formulas (`=HYPERLINK(…)`) are no address or domain and are refused, never evaluated, and
 * the page shows them as text.
 */
export type ParsedRow =
  | { row: number; raw: string; outcome: "valid"; entry: SuppressionEntry }
  | { row: number; raw: string; outcome: "refused"; error: string }
  | { row: number; raw: string; outcome: "repeated"; sameAs: number };

export const SUPPRESSION_IMPORT_MAX_ROWS = 10_000;
/** The raw value a result shows is cut here: a refused cell can be anything. */
const RAW_SHOWN = 120;

const HEADER = /^(e-?mail|e-?mail address|email_address|address|domain|domains|value|suppression)$/i;

export class SuppressionListTooLong extends Error {}

export function parseSuppressionList(text: string): ParsedRow[] {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: [",", ";", "\t"],
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
    }) as string[][];
  } catch {
    // An unbalanced quote and the like: read it as a plain list, a line a value.
    records = text
      .split(/\r\n|\n|\r/)
      .map((line) => [line.trim()])
      .filter(([line]) => line !== "");
  }
  const headerColumns = (records[0] ?? []).flatMap((cell, index) => (HEADER.test(cell.trim()) ? [index] : []));
  const hasHeader = headerColumns.length > 0;
  const data = hasHeader ? records.slice(1) : records;
  if (data.length > SUPPRESSION_IMPORT_MAX_ROWS) throw new SuppressionListTooLong();

  const seen = new Map<string, number>();
  const rows: ParsedRow[] = [];
  data.forEach((record, index) => {
    const row = index + (hasHeader ? 2 : 1);
    const cells = hasHeader ? headerColumns.map((c) => record[c] ?? "") : [record.find((cell) => cell.trim() !== "") ?? ""];
    for (const cell of cells) {
      if (hasHeader && cell.trim() === "" && cells.length > 1) continue;
      const raw = cell.length > RAW_SHOWN ? `${cell.slice(0, RAW_SHOWN)}…` : cell;
      const normalised = normaliseSuppression(withoutFormulaGuard(cell));
      if (!normalised.ok) {
        rows.push({ row, raw, outcome: "refused", error: normalised.error });
        continue;
      }
      const key = `${normalised.entry.kind}:${normalised.entry.value}`;
      const first = seen.get(key);
      if (first !== undefined) {
        rows.push({ row, raw, outcome: "repeated", sameAs: first });
        continue;
      }
      seen.set(key, row);
      rows.push({ row, raw, outcome: "valid", entry: normalised.entry });
    }
  });
  return rows;
}

/** `'=…`, `'+…`, `'-…`, `'@…`: the apostrophe a formula-safe writer put before the cell. */
function withoutFormulaGuard(cell: string): string {
  const value = cell.trim();
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
