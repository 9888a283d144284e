"use client";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { mapRow, type CellMark } from "@/lib/imports/map-row";
import { companyNameNotes } from "@/lib/imports/company-links";
import type { ColumnTarget, ImportMapping, MatchRule } from "@/lib/imports/types";
import { columnName } from "./column-mapping-table";
import { targetLabel } from "./target-options";

/**
 * The first rows as the import will take them: each mapped column's value with mapRow's mark
 * (an error fails the row; a note says how the value is read), and what happens to the row.
 * The same mapRow runs in the import job, so the preview is what the import does. A company name
 * the import will not keep (its domain is already another company's) says so (company-links.ts).
 */
export function MappingPreview({
  headers,
  rows,
  columns,
  companies,
  onMatch,
}: {
  headers: readonly string[];
  rows: readonly { rowNumber: number; fields: string[] }[];
  columns: readonly ColumnTarget[];
  companies: Readonly<Record<string, string>>;
  onMatch: MatchRule;
}) {
  const shown = columns.flatMap((target, index) => (target.kind === "ignore" ? [] : [index]));
  const results = useMemo(() => {
    // mapRow reads the columns only; the mapping's own rules (one column per field, an identity) are checked on start.
    const mapping = { columns: [...columns] } as ImportMapping;
    return rows.map((row) => mapRow(row.fields, mapping, headers));
  }, [rows, columns, headers]);
  const companyNotes = useMemo(() => companyNameNotes(results, companies, onMatch), [results, companies, onMatch]);
  const companyColumn = columns.findIndex((t) => t.kind === "field" && t.field === "company_name");

  const counts = { lead: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.kind]++;

  if (rows.length === 0) return <p className="text-sm text-zinc-600">The file has no data rows to preview.</p>;

  return (
    <div className="space-y-2">
      <p className="text-sm text-zinc-700" aria-live="polite">
        Of the first {rows.length} rows: {counts.lead} will be imported, {counts.failed} will fail
        {counts.skipped ? `, ${counts.skipped} will be skipped` : ""}.
      </p>
      <div tabIndex={0} role="region" aria-label="Preview of the first rows" className="overflow-x-auto rounded-md border border-zinc-200">
        <table className="min-w-full text-xs">
          <thead className="bg-zinc-50">
            <tr className="text-left text-zinc-700">
              <th scope="col" className="px-2 py-1.5 font-medium">
                Row
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Outcome
              </th>
              {shown.map((index) => (
                <th key={index} scope="col" className="px-2 py-1.5 font-medium whitespace-nowrap">
                  {targetLabel(columns[index]!)}
                  <span className="block font-normal text-zinc-600">from {columnName(headers, index)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => {
              const result = results[r]!;
              const companyNote = companyNotes[r];
              const marksOf = (column: number): CellMark[] => [
                ...result.marks.filter((m) => m.column === column),
                ...(companyNote && column === companyColumn ? [{ column, level: "note" as const, message: companyNote }] : []),
              ];
              return (
                <tr key={row.rowNumber} className="border-t border-zinc-100 align-top">
                  <th scope="row" className="px-2 py-1.5 font-normal text-zinc-600">
                    {row.rowNumber}
                  </th>
                  <td className="px-2 py-1.5">
                    {result.kind === "lead" ? (
                      <Badge tone="green">Imported</Badge>
                    ) : result.kind === "skipped" ? (
                      <Badge tone="neutral">Skipped: empty row</Badge>
                    ) : (
                      <span className="space-y-0.5">
                        <Badge tone="red">Fails</Badge>
                        <span className="block max-w-56 text-red-700">{result.detail}</span>
                      </span>
                    )}
                  </td>
                  {shown.map((index) => (
                    <PreviewCell key={index} value={row.fields[index] ?? ""} marks={marksOf(index)} />
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PreviewCell({ value, marks }: { value: string; marks: CellMark[] }) {
  const error = marks.find((m) => m.level === "error");
  return (
    <td className={cn("max-w-64 px-2 py-1.5", error && "bg-red-50")} data-mark={error ? "error" : marks.length ? "note" : undefined}>
      <span className="block truncate" title={value}>
        {value.trim() === "" ? <span className="text-zinc-500 italic">blank</span> : value}
      </span>
      {marks.map((m, i) => (
        <span key={i} className={cn("block", m.level === "error" ? "text-red-700" : "text-zinc-600")}>
          <span aria-hidden="true">{m.level === "error" ? "✕ " : "ℹ︎ "}</span>
          <span className="sr-only">{m.level === "error" ? "Problem: " : "Note: "}</span>
          {m.message}
        </span>
      ))}
    </td>
  );
}
