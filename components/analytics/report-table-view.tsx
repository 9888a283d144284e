import { Download } from "lucide-react";
import type { ReactNode } from "react";
import type { ReportTable } from "@/lib/analytics/report-tables";
import { ReportTableView } from "./report-table";

/**
 * A section of the analytics page: its title, its chart (when it has one), the table with the
 * same numbers, and the CSV of that table for roles that may export.
 */
export function ReportSection({
  table,
  exportHref,
  chart,
  note,
  empty,
}: {
  table: ReportTable;
  exportHref: string | null;
  chart?: ReactNode;
  note?: ReactNode;
  empty: string;
}) {
  const headingId = `analytics-${table.id}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-zinc-200 bg-white" data-testid={`section-${table.id}`}>
      <header className="flex items-center justify-between gap-3 border-b border-zinc-100 px-4 py-3">
        <h2 id={headingId} className="text-sm font-semibold text-zinc-900">
          {table.title}
        </h2>
        {exportHref && table.rows.length > 0 ? (
          <a
            href={exportHref}
            download
            className="inline-flex items-center gap-1 rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium text-zinc-800 hover:bg-zinc-50"
          >
            <Download aria-hidden className="size-3.5" />
            CSV<span className="sr-only"> of {table.title.toLowerCase()}</span>
          </a>
        ) : null}
      </header>
      {table.rows.length === 0 ? (
        <p className="px-4 py-6 text-sm text-zinc-500">{empty}</p>
      ) : (
        <div className="space-y-3 p-4">
          {chart}
          {note ? <p className="text-xs text-zinc-600">{note}</p> : null}
          {/* Scrolls on its own: focusable, so the keyboard can scroll it too. */}
          <div className="max-h-96 overflow-auto" tabIndex={0} role="region" aria-label={`${table.title}, table`}>
            <ReportTableView table={table} />
          </div>
        </div>
      )}
    </section>
  );
}
