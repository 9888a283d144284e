"use client";
import type { ReportTable as Table } from "@/lib/analytics/report-tables";

const numbers = new Intl.NumberFormat("en");

/**
 * The table of an analytics section, from the table's plain rows. A client component so that
 * the page sends each row once as a compact array (its cells' values) rather than as a tree of
 * elements, and the cells carry no class of their own: the table styles its cells. At 180 days
 * the page was about 530 kB, mostly the same class names repeated on a couple of thousand cells,
 * twice (in the HTML and in the page's payload), and the server's time grew with it.
 */
export function ReportTableView({ table }: { table: Pick<Table, "id" | "title" | "columns" | "rows"> }) {
  const numeric = table.columns.map((c) => c.numeric === true);
  return (
    <table
      className="w-full text-sm [&_tbody_td]:px-3 [&_tbody_td]:py-1.5 [&_tbody_td]:text-zinc-800 [&_tbody_th]:px-3 [&_tbody_th]:py-1.5 [&_tbody_th]:text-left [&_tbody_th]:font-medium [&_tbody_th]:text-zinc-900 [&_td.n]:text-right [&_td.n]:tabular-nums"
      data-testid={`table-${table.id}`}
    >
      <caption className="sr-only">{table.title}</caption>
      <thead className="sticky top-0 border-b border-zinc-200 bg-white text-left text-xs text-zinc-500">
        <tr>
          {table.columns.map((c) => (
            <th key={c.label} scope="col" className={`px-3 py-2 font-medium ${c.numeric ? "text-right" : ""}`}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {table.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={j} className={numeric[j] ? "n" : undefined}>
                  {typeof cell === "number" ? numbers.format(cell) : cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
