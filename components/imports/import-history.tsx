import { History } from "lucide-react";
import Link from "next/link";
import { SampleDataBadge } from "@/components/integrations/sample-data";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import { withUserTx, type JwtClaims } from "@/db";
import { formatElapsed, formatFileSize, formatRate, importFigures } from "@/lib/imports/import-figures";
import { describeRules, summarizeRules } from "@/lib/imports/describe-rules";
import { namesOfRuleMembers } from "@/lib/imports/get-lead-import";
import { listLeadImports } from "@/lib/imports/list-lead-imports";
import { presetLabel } from "@/lib/imports/presets/detect";
import { ImportStatusBadge } from "./import-status-badge";

/**
 * The workspace's imports, newest first (a page at a time through `?before=<id>`): who, when,
 * the file, the preset, the rules (match rule, owners, tags), the status, the four counts, how
 * long it took and how fast. An import still being mapped opens its mapping page, for those who
 * may import (`mayImport`); to others it is listed without a link.
 */
export async function ImportHistory({
  claims,
  workspaceId,
  before,
  mayImport,
}: {
  claims: JwtClaims;
  workspaceId: string;
  before?: string;
  mayImport: boolean;
}) {
  const { page, names } = await withUserTx(claims, async (tx) => {
    const page = await listLeadImports(tx, { workspaceId, before });
    return { page, names: await namesOfRuleMembers(tx, ...page.imports.map((item) => item.rules)) };
  });
  const now = Date.now();
  return (
    <section aria-labelledby="import-history-title" className="space-y-3">
      <h2 id="import-history-title" className="text-sm font-semibold">
        Import history
      </h2>
      {page.imports.length === 0 ? (
        <EmptyState icon={History} title={before ? "No older imports" : "Nothing imported yet"}>
          {before ? (
            <Link href="/imports" className="text-accent-700 hover:underline">
              Back to the latest imports
            </Link>
          ) : (
            "Each file you import appears here with its counts, its speed and the rows that were not imported."
          )}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
          <table className="w-full text-sm">
            <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
              <tr>
                <th className="px-4 py-2 font-medium">File</th>
                <th className="px-4 py-2 font-medium">By</th>
                <th className="px-4 py-2 font-medium">When</th>
                <th className="px-4 py-2 font-medium">Mapping</th>
                <th className="px-4 py-2 font-medium">Rules</th>
                <th className="px-4 py-2 font-medium">Status</th>
                <th className="px-4 py-2 text-right font-medium">Inserted</th>
                <th className="px-4 py-2 text-right font-medium">Updated</th>
                <th className="px-4 py-2 text-right font-medium">Skipped</th>
                <th className="px-4 py-2 text-right font-medium">Failed</th>
                <th className="px-4 py-2 text-right font-medium">Duration</th>
                <th className="px-4 py-2 text-right font-medium">Speed</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.imports.map((item) => {
                const figures = importFigures(item, now);
                const href = item.status !== "mapping" ? `/imports/${item.id}` : mayImport ? `/imports/${item.id}/mapping` : null;
                return (
                  <tr key={item.id} className="hover:bg-zinc-50" data-testid={`import-row-${item.id}`}>
                    <td className="max-w-72 min-w-56 px-4 py-2">
                      {href ? (
                        <Link href={href} className="font-medium wrap-anywhere hover:underline">
                          {item.fileName}
                        </Link>
                      ) : (
                        <span className="font-medium wrap-anywhere">{item.fileName}</span>
                      )}
                      {item.sandbox ? (
                        <span className="ml-2">
                          <SampleDataBadge />
                        </span>
                      ) : null}
                      <span className="block text-xs text-zinc-500">
                        {formatFileSize(item.fileSize)} · {item.totalRows.toLocaleString("en-US")} rows
                      </span>
                    </td>
                    <td className="px-4 py-2 text-zinc-700">{item.createdBy?.name ?? "A former member"}</td>
                    <td className="px-4 py-2 whitespace-nowrap text-zinc-600">
                      <LocalTime value={item.createdAt} withTime />
                    </td>
                    <td className="px-4 py-2 text-zinc-600">{item.status === "mapping" ? "—" : presetLabel(item.preset)}</td>
                    <td
                      className="min-w-44 px-4 py-2 text-xs text-zinc-600"
                      title={describeRules(item.rules, names).join(". ") || undefined}
                    >
                      {item.rules
                        ? summarizeRules(item.rules, names).map((line) => (
                            <span key={line} className="block">
                              {line}
                            </span>
                          ))
                        : "—"}
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">
                      <ImportStatusBadge status={item.status} />
                      {item.status === "running" || item.status === "paused" ? (
                        <span className="ml-1.5 text-xs text-zinc-500 tabular-nums">{figures.percent} %</span>
                      ) : null}
                      {item.status === "failed" && item.error ? (
                        <span className="mt-0.5 block max-w-64 text-xs whitespace-normal text-red-800" data-testid="import-error">
                          {item.error}
                        </span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{item.inserted.toLocaleString("en-US")}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{item.updated.toLocaleString("en-US")}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{item.skipped.toLocaleString("en-US")}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{item.failed.toLocaleString("en-US")}</td>
                    <td className="px-4 py-2 text-right whitespace-nowrap tabular-nums">{formatElapsed(figures.durationMs)}</td>
                    <td className="px-4 py-2 text-right whitespace-nowrap tabular-nums">{formatRate(figures.rowsPerSecond)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {page.nextBefore ? (
        <Link href={`/imports?before=${page.nextBefore}`} className="inline-block text-sm font-medium text-accent-700 hover:underline">
          Older imports →
        </Link>
      ) : null}
    </section>
  );
}
