"use client";
import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import type { InsightRunProgress } from "@/lib/ai/enrichment/runs/control-insight-run";
import { cancelAiEnrichment, getAiEnrichmentProgress, pauseAiEnrichment, resumeAiEnrichment } from "@/app/(app)/leads/ai-enrich-actions";
import { usePagePin } from "@/components/live/live-provider";
import { formatUsd, RunProgressBar, unreachable, usePolledProgress } from "./run-progress";

/**
 * A run of the AI enrichment as it goes: a progress bar with what it did and spent, Pause,
 * Resume and Cancel. It calls `onFinished` once the run has ended (finished, failed, cancelled)
 * or paused itself at the budget; a run paused by the person stays shown, with Resume.
 */
export function describeInsightRun(p: InsightRunProgress): string {
  return [
    `${p.enriched.toLocaleString("en-US")} enriched`,
    p.cached ? `${p.cached.toLocaleString("en-US")} from earlier answers` : "",
    p.failed ? `${p.failed.toLocaleString("en-US")} failed` : "",
    p.skipped ? `${p.skipped.toLocaleString("en-US")} skipped` : "",
    `${formatUsd(p.costUsd)} spent`,
  ]
    .filter(Boolean)
    .join(", ");
}

const ENDED = new Set(["completed", "failed", "cancelled"]);

export function AiEnrichmentProgress({ runId, onFinished }: { runId: string; onFinished: (p: InsightRunProgress | null) => void }) {
  const [pending, startTransition] = useTransition();
  const pin = usePagePin();
  const [generation, setGeneration] = useState(0);
  const pausedByMe = useRef(false);
  const progress = usePolledProgress({
    read: async () => {
      const result = await getAiEnrichmentProgress({ runId }).catch(unreachable);
      return result.ok ? result.data : null;
    },
    // Paused: by the person (stays, with Resume) or by the job at the budget (said and ended).
    isFinal: (p) => ENDED.has(p.status) || (p.status === "paused" && !pausedByMe.current),
    isIdle: (p) => p.status === "paused",
    onFinished,
    everyMs: 800,
    restartKey: `${runId}:${generation}`,
  });

  function control(kind: "pause" | "resume" | "cancel") {
    startTransition(async () => {
      const act = kind === "pause" ? pauseAiEnrichment : kind === "resume" ? resumeAiEnrichment : cancelAiEnrichment;
      pausedByMe.current = kind === "pause";
      const result = await act({ runId }, pin).catch(unreachable);
      if (!result.ok) return void toast.error(result.error);
      setGeneration((g) => g + 1);
    });
  }

  const total = Math.max(progress?.total ?? 1, 1);
  const done = progress?.processed ?? 0;
  const paused = progress?.status === "paused";
  return (
    <div className="flex min-w-64 flex-wrap items-center gap-2" data-testid="ai-enrich-progress">
      <RunProgressBar label="AI enrichment progress" done={done} total={total} live>
        {progress
          ? `${paused ? "Paused at" : "Enriching"} ${done.toLocaleString("en")} of ${total.toLocaleString("en")} · ${formatUsd(progress.costUsd)}`
          : "Starting…"}
      </RunProgressBar>
      {progress && !ENDED.has(progress.status) ? (
        <>
          {paused ? (
            <Button variant="secondary" size="sm" busy={pending} onClick={() => control("resume")}>
              Resume
            </Button>
          ) : (
            <Button variant="secondary" size="sm" busy={pending} onClick={() => control("pause")}>
              Pause
            </Button>
          )}
          <Button variant="secondary" size="sm" busy={pending} onClick={() => control("cancel")}>
            Cancel run
          </Button>
        </>
      ) : null}
    </div>
  );
}
