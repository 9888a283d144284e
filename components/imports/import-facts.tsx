import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { formatFileSize } from "@/lib/imports/import-figures";
import type { ImportDetail } from "@/lib/imports/import-views";
import { presetLabel } from "@/lib/imports/presets/detect";

const DELIMITERS: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };

/** What was imported, by whom and how: the file, the preset and the rules in words. */
export function ImportFacts({ detail, rules, runId }: { detail: ImportDetail; rules: string[]; runId: string | null }) {
  return (
    <section aria-labelledby="import-facts-title" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm">
      <h2 id="import-facts-title" className="font-semibold">
        File and rules
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5">
        {detail.apollo ? (
          <>
            <dt className="text-zinc-500">Source</dt>
            <dd className="break-all">{detail.fileName}</dd>
          </>
        ) : (
          <>
            <dt className="text-zinc-500">File</dt>
            <dd className="break-all">
              {detail.fileName} <span className="text-zinc-500">· {formatFileSize(detail.fileSize)}</span>
            </dd>
            <dt className="text-zinc-500">Read as</dt>
            <dd>
              {detail.encoding.toUpperCase()}, {DELIMITERS[detail.delimiter] ?? detail.delimiter}-separated, {detail.headers.length}{" "}
              columns, {detail.totalRows.toLocaleString("en-US")} data rows
            </dd>
          </>
        )}
        <dt className="text-zinc-500">Uploaded</dt>
        <dd>
          {detail.createdBy?.name ?? "A former member"}, <LocalTime value={detail.createdAt} withTime />
        </dd>
        <dt className="text-zinc-500">Started</dt>
        <dd>{detail.startedAt ? <LocalTime value={detail.startedAt} withTime /> : "—"}</dd>
        <dt className="text-zinc-500">Finished</dt>
        <dd>{detail.finishedAt ? <LocalTime value={detail.finishedAt} withTime /> : "—"}</dd>
        <dt className="text-zinc-500">Mapping</dt>
        <dd>{presetLabel(detail.preset)}</dd>
        <dt className="text-zinc-500">Rules</dt>
        <dd>
          {rules.length ? (
            <ul className="space-y-0.5">
              {rules.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : (
            "—"
          )}
        </dd>
        {runId ? (
          <>
            <dt className="text-zinc-500">Job</dt>
            <dd>
              <Link href={`/jobs/${runId}`} className="font-medium text-accent-700 hover:underline">
                Its run on the Jobs page
              </Link>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
