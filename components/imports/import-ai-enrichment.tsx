"use client";
import { AiEnrichButton } from "@/components/leads/bulk/ai-enrich-button";
import { describeInsightRun } from "@/components/leads/bulk/ai-enrichment-progress";
import { LocalTime } from "@/components/ui/local-time";
import type { InsightRunProgress } from "@/lib/ai/enrichment/runs/control-insight-run";

/**
 * An import's leads through the AI enrichment (icebreaker, company summary, fit score): the
 * button shows the estimate first; the import's latest runs are listed with what they did.
 */
const STATUS: Record<InsightRunProgress["status"], string> = {
  queued: "Queued",
  running: "Running",
  paused: "Paused",
  completed: "Finished",
  failed: "Stopped",
  cancelled: "Cancelled",
};

export function ImportAiEnrichment({ importId, runs }: { importId: string; runs: InsightRunProgress[] }) {
  return (
    <section aria-labelledby="import-ai-heading" className="rounded-lg border border-zinc-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="import-ai-heading" className="text-sm font-semibold">
          AI enrichment
        </h2>
        <AiEnrichButton label="Enrich these leads with AI" resolveTarget={async () => ({ importId })} />
      </div>
      {runs.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-600">
          An icebreaker, a company summary and a fit score for each lead this import wrote. You see the cost before anything runs.
        </p>
      ) : (
        <ul className="mt-2 space-y-1 text-sm">
          {runs.map((run) => (
            <li key={run.runId} className="text-zinc-700">
              <span className="font-medium">{STATUS[run.status]}</span> · <LocalTime value={run.createdAt} /> ·{" "}
              {run.processed.toLocaleString("en-US")} of {run.total.toLocaleString("en-US")} leads: {describeInsightRun(run)}
              {run.error ? <span className="block text-xs text-zinc-600">{run.error}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
