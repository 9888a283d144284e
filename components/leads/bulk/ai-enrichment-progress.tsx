"use client";
import { useEffect, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions/execute-action";
import type { InsightRunProgress } from "@/lib/ai/enrichment/runs/control-insight-run";
import { cancelAiEnrichment, getAiEnrichmentProgress, pauseAiEnrichment, resumeAiEnrichment } from "@/app/(app)/leads/ai-enrich-actions";

/**
 * A run of the AI enrichment as it goes: a progress bar with what it did and spent, Pause,
 * Resume and Cancel. It calls `onFinished` once the run has ended (finished, failed, cancelled)
 * or paused itself at the budget; a run paused by the person stays shown, with Resume.
 */
const POLL_MS = 800;
const failed = (): ActionResult<never> => ({
  ok: false,
  code: "network",
  error: "Could not reach the server. Check your connection and try again.",
});
const usd = (v: number) => (v > 0 && v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);

export function describeInsightRun(p: InsightRunProgress): string {
  return [
    `${p.enriched.toLocaleString("en-US")} enriched`,
    p.cached ? `${p.cached.toLocaleString("en-US")} from earlier answers` : "",
    p.failed ? `${p.failed.toLocaleString("en-US")} failed` : "",
    p.skipped ? `${p.skipped.toLocaleString("en-US")} skipped` : "",
    `${usd(p.costUsd)} spent`,
  ]
    .filter(Boolean)
    .join(", ");
}

const ENDED = new Set(["completed", "failed", "cancelled"]);

export function AiEnrichmentProgress({ runId, onFinished }: { runId: string; onFinished: (p: InsightRunProgress | null) => void }) {
  const [progress, setProgress] = useState<InsightRunProgress | null>(null);
  const [pending, startTransition] = useTransition();
  const [generation, setGeneration] = useState(0);
  const finished = useRef(onFinished);
  const pausedByMe = useRef(false);
  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      const result = await getAiEnrichmentProgress({ runId }).catch(failed);
      if (stopped) return;
      if (result.ok) {
        failures = 0;
        setProgress(result.data);
        if (ENDED.has(result.data.status)) return finished.current(result.data);
        // Paused: by the person (stays, with Resume) or by the job at the budget (said and ended).
        if (result.data.status === "paused") return pausedByMe.current ? undefined : finished.current(result.data);
      } else if (++failures >= 10) return finished.current(null);
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [runId, generation]);

  function control(kind: "pause" | "resume" | "cancel") {
    startTransition(async () => {
      const act = kind === "pause" ? pauseAiEnrichment : kind === "resume" ? resumeAiEnrichment : cancelAiEnrichment;
      pausedByMe.current = kind === "pause";
      const result = await act({ runId }).catch(failed);
      if (!result.ok) return void toast.error(result.error);
      setGeneration((g) => g + 1);
    });
  }

  const total = Math.max(progress?.total ?? 1, 1);
  const done = progress?.processed ?? 0;
  const paused = progress?.status === "paused";
  return (
    <div className="flex min-w-64 flex-wrap items-center gap-2" data-testid="ai-enrich-progress">
      <div
        role="progressbar"
        aria-label="AI enrichment progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        className="h-2 w-40 overflow-hidden rounded-full bg-accent-100"
      >
        <div className="h-full rounded-full bg-accent-600 transition-[width]" style={{ width: `${Math.round((done / total) * 100)}%` }} />
      </div>
      <span className="text-xs tabular-nums" aria-live="polite">
        {progress
          ? `${paused ? "Paused at" : "Enriching"} ${done.toLocaleString("en")} of ${total.toLocaleString("en")} · ${usd(progress.costUsd)}`
          : "Starting…"}
      </span>
      {progress && !ENDED.has(progress.status) ? (
        <>
          {paused ? (
            <Button variant="secondary" size="sm" disabled={pending} onClick={() => control("resume")}>
              Resume
            </Button>
          ) : (
            <Button variant="secondary" size="sm" disabled={pending} onClick={() => control("pause")}>
              Pause
            </Button>
          )}
          <Button variant="secondary" size="sm" disabled={pending} onClick={() => control("cancel")}>
            Cancel run
          </Button>
        </>
      ) : null}
    </div>
  );
}
