"use client";
import { Dialog } from "radix-ui";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import type { InsightRunProgress } from "@/lib/ai/enrichment/runs/control-insight-run";
import type { InsightRunEstimate, InsightTarget } from "@/lib/ai/enrichment/runs/start-insight-run";
import { estimateAiEnrichment, startAiEnrichment } from "@/app/(app)/leads/ai-enrich-actions";
import { usePagePin } from "@/components/live/live-provider";
import { AiEnrichmentProgress, describeInsightRun } from "./ai-enrichment-progress";
import { formatUsd, plural, unreachable } from "./run-progress";

/**
 * "Enrich with AI" for the table's selection or filter, or an import's leads: asks for the
 * estimate first (free) — the leads, the tokens counted with the model's tokenizer, the cost,
 * against what is left of the month's budget — with the choice of fetching each company's
 * homepage; starts the run once confirmed and follows it (pause, resume, cancel) to the end.
 */
type Props = {
  /** The leads as the action takes them; null when there is nothing to enrich (the caller said why). */
  resolveTarget: () => Promise<InsightTarget | null>;
  disabled?: boolean;
  onDone?: () => void;
  label?: string;
};

export function AiEnrichButton({ resolveTarget, disabled = false, onDone, label = "Enrich with AI" }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const pin = usePagePin();
  const [dialog, setDialog] = useState<{ target: InsightTarget; estimate: InsightRunEstimate } | null>(null);
  const [homepage, setHomepage] = useState(false);
  const [following, setFollowing] = useState<string | null>(null);

  function estimate(target: InsightTarget, fetchHomepage: boolean) {
    startTransition(async () => {
      const result = await estimateAiEnrichment({ target, fetchHomepage }, pin).catch(unreachable);
      if (!result.ok) return void toast.error(result.error);
      setDialog({ target, estimate: result.data });
    });
  }

  function open() {
    startTransition(async () => {
      const target = await resolveTarget();
      if (!target) return;
      setHomepage(false);
      estimate(target, false);
    });
  }

  function start() {
    if (!dialog) return;
    const { target, estimate: e } = dialog;
    startTransition(async () => {
      const result = await startAiEnrichment({ target, fetchHomepage: homepage, confirmedCostUsd: e.costUsd }, pin).catch(unreachable);
      if (!result.ok) return void toast.error(result.error);
      setDialog(null);
      setFollowing(result.data.runId);
    });
  }

  function finished(progress: InsightRunProgress | null) {
    setFollowing(null);
    onDone?.();
    router.refresh();
    if (!progress) return void toast.error("Lost track of the enrichment. Reload the page to see how far it got.");
    const summary = describeInsightRun(progress);
    if (progress.status === "failed") toast.error(`AI enrichment stopped: ${progress.error ?? "unknown error"} (${summary}).`);
    else if (progress.status === "cancelled") toast.info(`AI enrichment cancelled (${summary}).`);
    else if (progress.status === "paused") toast.info(progress.error ?? `AI enrichment paused (${summary}).`);
    else toast.success(`Enriched with AI: ${summary}.`);
  }

  const e = dialog?.estimate;
  return (
    <>
      <Button variant="secondary" size="sm" disabled={disabled} busy={pending || following !== null} onClick={open}>
        {label}
      </Button>
      {following ? <AiEnrichmentProgress runId={following} onFinished={finished} /> : null}
      <Dialog.Root open={dialog !== null} onOpenChange={(next) => (next ? undefined : setDialog(null))}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/30" />
          <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-full max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
            <Dialog.Title className="text-sm font-semibold">Enrich {e ? plural(e.leads, "lead") : "leads"} with AI</Dialog.Title>
            {e ? (
              <div className="mt-3 space-y-3 text-sm">
                <Dialog.Description asChild>
                  <div data-testid="ai-enrich-estimate">
                    <p className="text-zinc-700">
                      An icebreaker, a two-sentence company summary and a fit score with reasons, for each lead.
                    </p>
                    <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                      <dt className="text-zinc-600">Leads to ask</dt>
                      <dd className="tabular-nums" data-testid="ai-enrich-leads">
                        {e.toAsk.toLocaleString("en-US")}
                      </dd>
                      <dt className="text-zinc-600">Estimated tokens</dt>
                      <dd className="tabular-nums" data-testid="ai-enrich-tokens">
                        {(e.promptTokens + e.completionTokens).toLocaleString("en-US")} ({e.promptTokens.toLocaleString("en-US")} in,{" "}
                        {e.completionTokens.toLocaleString("en-US")} out)
                      </dd>
                      <dt className="text-zinc-600">Estimated cost</dt>
                      <dd className="font-medium tabular-nums" data-testid="ai-enrich-cost">
                        {formatUsd(e.costUsd)} <span className="font-normal text-zinc-600">with {e.model}</span>
                      </dd>
                      <dt className="text-zinc-600">Budget left</dt>
                      <dd className="tabular-nums" data-testid="ai-enrich-budget">
                        {e.remainingUsd === null
                          ? "No monthly budget set"
                          : `${formatUsd(e.remainingUsd)} of ${formatUsd(e.budgetUsd ?? 0)} this month`}
                      </dd>
                    </dl>
                    <ul className="mt-2 list-disc pl-5 text-zinc-600">
                      {e.cached ? <li>{plural(e.cached, "lead")} answered before with the same details: no cost.</li> : null}
                      {e.notPermitted ? <li>{plural(e.notPermitted, "lead")} of other sales reps: left alone.</li> : null}
                      {e.fetchHomepage ? <li>The estimate counts each homepage at its longest: the real cost is usually lower.</li> : null}
                    </ul>
                    {e.exceedsBudget ? (
                      <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900" role="status">
                        This is more than what is left of the month&apos;s budget: the run will stop when the budget is reached, and say so.
                      </p>
                    ) : null}
                  </div>
                </Dialog.Description>
                <label className="flex items-start gap-2 text-zinc-700">
                  <input
                    type="checkbox"
                    className="mt-1"
                    checked={homepage}
                    onChange={(event) => {
                      setHomepage(event.target.checked);
                      if (dialog) estimate(dialog.target, event.target.checked);
                    }}
                  />
                  <span>Read each company&apos;s public homepage first (slower; the model gets its text as data, not instructions)</span>
                </label>
              </div>
            ) : null}
            <div className="mt-5 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button onClick={start} disabled={!e || e.toAsk + e.cached === 0} busy={pending}>
                {e && e.toAsk > 0 ? `Enrich (about ${formatUsd(e.costUsd)})` : "Enrich"}
              </Button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </>
  );
}
