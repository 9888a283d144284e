"use client";
import { Dialog } from "radix-ui";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import type { LeadEnrichmentProgress } from "@/lib/integrations/apollo/enrich-leads/read-lead-enrichments";
import type { LeadEnrichmentEstimate } from "@/lib/integrations/apollo/enrich-leads/start-lead-enrichment";
import type { BulkSelection } from "@/lib/leads/bulk/schemas";
import { estimateApolloEnrichment, getApolloEnrichmentProgress, startApolloEnrichment } from "@/app/(app)/leads/enrich-actions";
import { usePagePin } from "@/components/live/live-provider";
import { plural, RunProgressBar, unreachable, usePolledProgress } from "./run-progress";

/**
 * "Enrich with Apollo" for the table's selection: asks for the estimate first (free), shows the
 * most credits it can cost and the choice of filling empty fields only (the default) or
 * overwriting, starts the run once confirmed and follows it to the end.
 */
type Props = {
  /** The selection as the bulk actions send it; a filter comes with its confirmed count. */
  resolveSelection: () => Promise<BulkSelection | null>;
  disabled: boolean;
  onDone: () => void;
};

export function ApolloEnrichButton({ resolveSelection, disabled, onDone }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const pin = usePagePin();
  const [dialog, setDialog] = useState<{ selection: BulkSelection; estimate: LeadEnrichmentEstimate } | null>(null);
  const [mode, setMode] = useState<"fill_empty" | "overwrite">("fill_empty");
  const [reenrich, setReenrich] = useState(false);
  const [following, setFollowing] = useState<string | null>(null);

  function estimate(selection: BulkSelection, again: boolean) {
    startTransition(async () => {
      const result = await estimateApolloEnrichment({ selection, reenrich: again }, pin).catch(unreachable);
      if (!result.ok) return void toast.error(result.error);
      setDialog({ selection, estimate: result.data });
    });
  }

  function open() {
    startTransition(async () => {
      const selection = await resolveSelection();
      if (!selection) return;
      setMode("fill_empty");
      setReenrich(false);
      estimate(selection, false);
    });
  }

  function start() {
    if (!dialog) return;
    const { selection, estimate: e } = dialog;
    startTransition(async () => {
      const result = await startApolloEnrichment({ selection, mode, reenrich, confirmedMaxCredits: e.maxCredits }, pin).catch(unreachable);
      if (!result.ok) return void toast.error(result.error);
      setDialog(null);
      setFollowing(result.data.enrichmentId);
    });
  }

  function finished(progress: LeadEnrichmentProgress | null) {
    setFollowing(null);
    onDone();
    router.refresh();
    if (!progress) return void toast.error("Lost track of the enrichment. Reload the page to see how far it got.");
    const summary = [
      `${plural(progress.updated, "lead")} updated`,
      progress.unchanged ? `${progress.unchanged} already up to date` : "",
      progress.notFound ? `${progress.notFound} not found in Apollo` : "",
      progress.skipped ? `${progress.skipped} skipped` : "",
      `${plural(progress.credits, "credit")} spent`,
    ]
      .filter(Boolean)
      .join(", ");
    if (progress.status === "failed") toast.error(`Apollo enrichment stopped: ${progress.error ?? "unknown error"} (${summary}).`);
    else toast.success(`Enriched with Apollo: ${summary}.`);
  }

  const e = dialog?.estimate;
  return (
    <>
      <Button variant="secondary" size="sm" disabled={disabled} busy={pending || following !== null} onClick={open}>
        Enrich with Apollo
      </Button>
      {following ? <EnrichmentProgressBar enrichmentId={following} onFinished={finished} /> : null}
      <Dialog.Root open={dialog !== null} onOpenChange={(next) => (next ? undefined : setDialog(null))}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/30" />
          <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-full max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
            <Dialog.Title className="text-sm font-semibold">Enrich {e ? plural(e.leads, "lead") : "leads"} with Apollo</Dialog.Title>
            {e ? (
              <div className="mt-3 space-y-3 text-sm">
                {e.sandbox ? (
                  <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900">Apollo sandbox: sample data and sample credits.</p>
                ) : null}
                <Dialog.Description asChild>
                  <div>
                    <p data-testid="apollo-enrich-credits" className="font-medium">
                      This can cost up to {plural(e.maxCredits, "Apollo credit")}.
                    </p>
                    <ul className="mt-1 list-disc pl-5 text-zinc-600">
                      <li>{plural(e.toAsk, "lead")} will be looked up in Apollo (a credit for each person it finds).</li>
                      {e.alreadyRevealed ? (
                        <li>{plural(e.alreadyRevealed, "person", "people")} revealed before: reused, no credit.</li>
                      ) : null}
                      {e.unmatchable ? (
                        <li>{plural(e.unmatchable, "lead")} without an email, LinkedIn URL or name and company domain: skipped.</li>
                      ) : null}
                      {e.notPermitted ? <li>{plural(e.notPermitted, "lead")} of other sales reps: left alone.</li> : null}
                    </ul>
                  </div>
                </Dialog.Description>
                <fieldset>
                  <legend className="font-medium">Apollo&apos;s values</legend>
                  <label className="mt-1 flex items-center gap-2">
                    <input type="radio" name="apollo-mode" checked={mode === "fill_empty"} onChange={() => setMode("fill_empty")} />
                    Fill empty fields only
                  </label>
                  <label className="mt-1 flex items-center gap-2">
                    <input type="radio" name="apollo-mode" checked={mode === "overwrite"} onChange={() => setMode("overwrite")} />
                    Overwrite fields Apollo has a value for
                  </label>
                </fieldset>
                <label className="flex items-center gap-2 text-zinc-700">
                  <input
                    type="checkbox"
                    checked={reenrich}
                    onChange={(event) => {
                      setReenrich(event.target.checked);
                      if (dialog) estimate(dialog.selection, event.target.checked);
                    }}
                  />
                  Ask Apollo again for people revealed before (spends credits again)
                </label>
              </div>
            ) : null}
            <div className="mt-5 flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button onClick={start} disabled={!e || e.toAsk + e.alreadyRevealed === 0} busy={pending}>
                {e && e.maxCredits > 0 ? `Enrich (up to ${plural(e.maxCredits, "credit")})` : "Enrich"}
              </Button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </>
  );
}

function EnrichmentProgressBar({
  enrichmentId,
  onFinished,
}: {
  enrichmentId: string;
  onFinished: (p: LeadEnrichmentProgress | null) => void;
}) {
  const progress = usePolledProgress({
    read: async () => {
      const result = await getApolloEnrichmentProgress({ enrichmentId }).catch(unreachable);
      return result.ok ? result.data : null;
    },
    isFinal: (p) => p.status === "completed" || p.status === "failed",
    onFinished,
    everyMs: 800,
    restartKey: enrichmentId,
  });
  const total = Math.max(progress?.total ?? 1, 1);
  const done = progress?.processed ?? 0;
  return (
    <div className="flex min-w-64 items-center gap-2">
      <RunProgressBar label="Apollo enrichment progress" done={done} total={total}>
        {progress ? `Enriching ${done.toLocaleString("en")} of ${total.toLocaleString("en")} · ${progress.credits} credits` : "Starting…"}
      </RunProgressBar>
    </div>
  );
}
