import { Download } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { ImportIssueGroup } from "@/lib/imports/import-views";

/**
 * The rows that were not written, counted by reason, and the file of those rows (original
 * columns plus the reason) to fix and upload again.
 */
export function ImportIssueGroups({ importId, groups }: { importId: string; groups: ImportIssueGroup[] }) {
  const total = groups.reduce((sum, g) => sum + g.rows, 0);
  return (
    <section aria-labelledby="import-issues-title" className="rounded-lg border border-zinc-200 bg-white">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3">
        <h2 id="import-issues-title" className="text-sm font-semibold">
          Skipped and failed rows
        </h2>
        {total > 0 ? (
          <a
            href={`/api/imports/${importId}/issues.csv`}
            download
            className="inline-flex items-center gap-1.5 text-sm font-medium text-accent-700 hover:underline"
          >
            <Download aria-hidden className="size-4" /> Download failed and skipped rows
          </a>
        ) : null}
      </header>
      {total === 0 ? (
        <p className="px-4 py-3 text-sm text-zinc-600">No row has been skipped or has failed so far.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th className="px-4 py-2 font-medium">Outcome</th>
              <th className="px-4 py-2 font-medium">Reason</th>
              <th className="px-4 py-2 text-right font-medium">Rows</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {groups.map((group) => (
              <tr key={`${group.outcome}-${group.reason}`} data-testid={`issue-${group.reason}`}>
                <td className="px-4 py-2">
                  <Badge tone={group.outcome === "failed" ? "red" : "amber"}>{group.outcome === "failed" ? "Failed" : "Skipped"}</Badge>
                </td>
                <td className="px-4 py-2">{group.words}</td>
                <td className="px-4 py-2 text-right tabular-nums">{group.rows.toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
