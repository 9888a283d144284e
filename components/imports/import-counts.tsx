import type { ImportProgress } from "@/lib/imports/import-views";
import { cn } from "@/components/ui/cn";

const COUNTS = [
  { key: "inserted", label: "Inserted", hint: "new leads", tone: "text-emerald-700" },
  { key: "updated", label: "Updated", hint: "existing leads", tone: "text-accent-700" },
  { key: "skipped", label: "Skipped", hint: "nothing to write", tone: "text-amber-800" },
  { key: "failed", label: "Failed", hint: "need fixing", tone: "text-red-700" },
] as const;

/** The four outcomes of the rows processed so far; once finished they add up to the file's data rows. */
export function ImportCounts({ progress, compact = false }: { progress: ImportProgress; compact?: boolean }) {
  return (
    <dl className={cn("grid grid-cols-2 gap-3 sm:grid-cols-4", compact && "gap-2")} aria-label="Rows by outcome">
      {COUNTS.map(({ key, label, hint, tone }) => (
        <div key={key} className="rounded-lg border border-zinc-200 bg-white px-3 py-2" data-testid={`count-${key}`}>
          <dt className="text-xs text-zinc-500">
            {label} <span className="text-zinc-500">· {hint}</span>
          </dt>
          <dd className={cn("text-lg font-semibold tabular-nums", tone)}>{progress[key].toLocaleString("en-US")}</dd>
        </div>
      ))}
    </dl>
  );
}
