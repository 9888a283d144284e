import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageSession } from "@/app/_server/session";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { LiveRefresh } from "@/components/live/live-refresh";
import { RunActions } from "@/components/jobs/run-actions";
import { formatDuration, RunStatusBadge } from "@/components/jobs/run-status-badge";
import { Disclosure } from "@/components/ui/disclosure";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { withUserTx } from "@/db";
import { leadImportRequested } from "@/inngest/client";
import { AppError } from "@/lib/errors";
import { getJobRun } from "@/lib/jobs/runs/get-job-run";
import { isInProgress, type JobRunDetail } from "@/lib/jobs/runs/job-run-types";

export const metadata: Metadata = { title: "Job run" };

type Props = { params: Promise<{ runId: string }> };

async function loadRun(claims: Parameters<typeof withUserTx>[0], workspaceId: string, runId: string): Promise<JobRunDetail> {
  if (!z.uuid().safeParse(runId).success) notFound();
  try {
    return await withUserTx(claims, (tx) => getJobRun(tx, { workspaceId, runId }));
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

/** JSON as text: user and vendor data is shown, never interpreted as HTML. */
function Json({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre tabIndex={0} data-testid={testId} className="max-h-64 overflow-auto rounded bg-zinc-50 p-2 font-mono text-xs whitespace-pre-wrap">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** A run started by an import links back to that import's page. */
function ImportLink({ event }: { event: JobRunDetail["event"] }) {
  if (event.name !== leadImportRequested.name) return null;
  const importId = z.uuid().safeParse(event.data.importId);
  if (!importId.success) return null;
  return (
    <Link href={`/imports/${importId.data}`} className="mt-2 inline-block text-xs font-medium text-accent-700 hover:underline">
      Open the import →
    </Link>
  );
}

export default async function JobRunPage({ params }: Props) {
  const session = await requirePageSession("jobs.manage");
  const { runId } = await params;
  const run = await loadRun(session.claims, session.current.workspaceId, runId);
  return (
    <>
      <PageHeader
        title={run.functionId}
        description={
          <span className="flex items-center gap-2">
            <RunStatusBadge status={run.status} /> run {run.id} · {run.attempts} attempt{run.attempts === 1 ? "" : "s"} ·{" "}
            {formatDuration(run.durationMs)}
          </span>
        }
        actions={<RunActions runId={run.id} status={run.status} />}
      />
      {/* A new status arrives live; steps within a running status are still polled. */}
      <LiveRefresh kinds={["job"]} ids={[run.id]} />
      <AutoRefresh active={isInProgress(run.status)} />
      <div className="grid gap-6 p-6 xl:grid-cols-[1fr_24rem]">
        <section aria-label="Steps" className="space-y-3">
          {run.error ? (
            <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              <strong>{run.error.name}:</strong> {run.error.message}
            </div>
          ) : null}
          <h2 className="text-sm font-semibold">Steps</h2>
          {run.steps.length === 0 ? <p className="text-sm text-zinc-500">No step has run yet.</p> : null}
          <ol className="space-y-2">
            {run.steps.map((step) => (
              <li key={step.stepId} className="rounded-lg border border-zinc-200 bg-white p-3 text-sm" data-testid={`step-${step.stepId}`}>
                <div className="flex items-center justify-between gap-3">
                  <span className="font-medium">
                    {step.name ?? step.stepId} <span className="text-xs font-normal text-zinc-500">{step.op}</span>
                  </span>
                  <span className="flex items-center gap-3 text-xs text-zinc-500">
                    {step.attempts > 1 ? `${step.attempts} attempts` : null}
                    <span className="tabular-nums">{formatDuration(step.durationMs)}</span>
                    <RunStatusBadge status={step.status} />
                  </span>
                </div>
                {step.wakeAt ? (
                  <p className="mt-1 text-xs text-zinc-500">
                    {step.op === "sleep" ? "Wakes" : `Waits for ${step.waitEvent} until`} <LocalTime value={step.wakeAt} withTime />
                  </p>
                ) : null}
                {step.error ? (
                  <p className="mt-2 text-xs text-red-700">
                    {step.error.name}: {step.error.message}
                  </p>
                ) : null}
                {step.output !== null && step.output !== undefined ? (
                  <Disclosure className="mt-2">
                    <summary className="cursor-pointer text-xs text-zinc-500">Output</summary>
                    <Json value={step.output} />
                  </Disclosure>
                ) : null}
                {step.attemptErrors.length ? (
                  <Disclosure className="mt-2">
                    <summary className="cursor-pointer text-xs text-zinc-500">Earlier attempts ({step.attemptErrors.length})</summary>
                    <ul className="mt-1 space-y-1 text-xs text-zinc-600">
                      {step.attemptErrors.map((a) => (
                        <li key={`${a.attempt}-${a.at}`}>
                          #{a.attempt} <LocalTime value={a.at} withTime />: {a.error.message}
                        </li>
                      ))}
                    </ul>
                  </Disclosure>
                ) : null}
              </li>
            ))}
          </ol>
          {run.output !== null && run.output !== undefined ? (
            <>
              <h2 className="pt-2 text-sm font-semibold">Result</h2>
              <Json value={run.output} testId="run-result" />
            </>
          ) : null}
        </section>
        <aside className="space-y-4 text-sm">
          <section className="rounded-lg border border-zinc-200 bg-white p-3">
            <h2 className="mb-2 font-semibold">Trigger</h2>
            <p className="font-mono text-xs">{run.event.name}</p>
            <p className="mb-2 text-xs text-zinc-500">
              <LocalTime value={run.event.ts} withTime />
            </p>
            <Json value={run.event.data} />
            <ImportLink event={run.event} />
          </section>
          <section className="space-y-1 rounded-lg border border-zinc-200 bg-white p-3 text-xs text-zinc-600">
            <p>
              Created <LocalTime value={run.createdAt} withTime />
            </p>
            <p>Started {run.startedAt ? <LocalTime value={run.startedAt} withTime /> : "—"}</p>
            <p>Ended {run.endedAt ? <LocalTime value={run.endedAt} withTime /> : "—"}</p>
            {run.replayOf ? (
              <p>
                Replay of{" "}
                <Link className="text-accent-600 hover:underline" href={`/jobs/${run.replayOf}`}>
                  an earlier run
                </Link>
              </p>
            ) : null}
            {run.failureHandlerRun ? (
              <p>
                Failure handler:{" "}
                <Link className="text-accent-600 hover:underline" href={`/jobs/${run.failureHandlerRun.id}`}>
                  {run.failureHandlerRun.status}
                </Link>
              </p>
            ) : null}
            {run.replays.length ? (
              <div>
                Replays:
                <ul className="ml-4 list-disc">
                  {run.replays.map((r) => (
                    <li key={r.id}>
                      <Link className="text-accent-600 hover:underline" href={`/jobs/${r.id}`}>
                        {r.status}
                      </Link>{" "}
                      <LocalTime value={r.createdAt} withTime />
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>
          <Link href="/jobs" className="inline-block text-sm font-medium text-accent-600 hover:underline">
            ← All runs
          </Link>
        </aside>
      </div>
    </>
  );
}
