"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useLiveEvents, useLiveStatus } from "@/components/live/live-provider";
import { useThrottledRefresh } from "@/components/live/live-refresh";
import { formatElapsed, formatRate, formatTimeLeft, importFigures, isImportFinished, isImportMoving } from "@/lib/imports/import-figures";
import type { ApolloImportFacts, ImportProgress } from "@/lib/imports/import-views";
import { ImportCounts } from "./import-counts";
import { ImportStatusBadge } from "./import-status-badge";

/** While live updates are not connected: fast enough to feel live, slow enough that a hundred open pages cost little. */
const MOVING_POLL_MS = 1_000;
/** A paused import can be resumed from another tab or by a manager: look now and then. */
const PAUSED_POLL_MS = 5_000;
/** How often, at most, the server-rendered problem rows are refreshed while they grow. */
const GROUPS_REFRESH_MS = 5_000;

/**
 * The import's progress bar, counts, rate and time left, following /api/imports/<id> without
 * a reload while the import is queued, running or paused: read again when live updates say the
 * import changed (at most every 0.8 s), or polled while they are not connected; it stops once
 * the import has finished, and waits while the tab is hidden (one read as soon as it is shown
 * again). When the status changes the server parts of the page (problem rows, buttons) are
 * refreshed.
 */
export function ImportLiveProgress({ initial, renderedAt }: { initial: ImportProgress; renderedAt: number }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  // The server's clock on the first render, so the rate and time left hydrate as rendered.
  const [now, setNow] = useState(renderedAt);
  const status = useRef(initial.status);
  const lastProblems = useRef(initial.skipped + initial.failed);
  const lastRefresh = useRef(renderedAt);

  useEffect(() => {
    setProgress(initial);
    setNow(renderedAt);
    status.current = initial.status;
  }, [initial, renderedAt]);

  const live = useLiveStatus() === "live";
  const pollNow = useRef<() => void>(() => {});
  const readSoon = useThrottledRefresh(() => pollNow.current());
  useLiveEvents(["import"], (message) => {
    if (message.k === "resync" || message.ids === null || message.ids.includes(initial.id)) readSoon();
  });

  useEffect(() => {
    if (isImportFinished(initial.status)) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      if (stopped || live || document.hidden || isImportFinished(status.current)) return;
      timer = setTimeout(poll, isImportMoving(status.current) ? MOVING_POLL_MS : PAUSED_POLL_MS);
    };
    const poll = async () => {
      try {
        const response = await fetch(`/api/imports/${initial.id}`, { cache: "no-store" });
        if (response.ok) {
          const next = (await response.json()) as ImportProgress;
          if (stopped) return;
          setProgress(next);
          setNow(Date.now());
          const problems = next.skipped + next.failed;
          if (next.status !== status.current) {
            status.current = next.status;
            router.refresh();
          } else if (problems !== lastProblems.current && Date.now() - lastRefresh.current >= GROUPS_REFRESH_MS) {
            // The problem rows by reason are rendered by the server: refresh them now and then.
            lastRefresh.current = Date.now();
            router.refresh();
          }
          lastProblems.current = problems;
        }
      } catch {
        // A missed poll (a restart, a flaky network) is not the import failing: try again.
      }
      schedule();
    };
    pollNow.current = () => void poll();
    const onVisibility = () => (document.hidden ? clearTimeout(timer) : void poll());
    document.addEventListener("visibilitychange", onVisibility);
    // Connected just now: what changed while it was not is read once.
    if (live) void poll();
    else schedule();
    return () => {
      stopped = true;
      pollNow.current = () => {};
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [initial.id, initial.status, router, live]);

  const figures = importFigures(progress, now);
  const finished = isImportFinished(progress.status);
  return (
    <section aria-label="Progress" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="flex items-center gap-2">
          <ImportStatusBadge status={progress.status} />
          <span className="tabular-nums" data-testid="import-processed">
            {progress.processedRows.toLocaleString("en-US")} of {progress.totalRows.toLocaleString("en-US")} rows
          </span>
        </span>
        <span className="text-lg font-semibold tabular-nums" data-testid="import-percent">
          {figures.percent} %
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={figures.percent}
        aria-valuetext={`${figures.percent} %, ${progress.processedRows} of ${progress.totalRows} rows`}
        className="h-2.5 overflow-hidden rounded-full bg-accent-100"
      >
        <div className="h-full rounded-full bg-accent-600 transition-[width] duration-500" style={{ width: `${figures.percent}%` }} />
      </div>
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-600">
        <div className="flex gap-1.5">
          <dt>Speed</dt>
          <dd className="font-medium text-zinc-900 tabular-nums" data-testid="import-rate">
            {formatRate(figures.rowsPerSecond)}
          </dd>
        </div>
        <div className="flex gap-1.5">
          <dt>{finished ? "Took" : "Running for"}</dt>
          <dd className="font-medium text-zinc-900 tabular-nums">{formatElapsed(figures.durationMs)}</dd>
        </div>
        {finished ? null : (
          <div className="flex gap-1.5">
            <dt>Time left</dt>
            <dd className="font-medium text-zinc-900 tabular-nums" data-testid="import-time-left">
              {progress.status === "paused"
                ? "paused"
                : progress.status === "queued"
                  ? progress.apollo
                    ? "revealing people in Apollo first"
                    : "waiting to start"
                  : formatTimeLeft(figures.remainingMs)}
            </dd>
          </div>
        )}
        {progress.companiesCreated ? (
          <div className="flex gap-1.5">
            <dt>Companies created</dt>
            <dd className="font-medium text-zinc-900 tabular-nums">{progress.companiesCreated.toLocaleString("en-US")}</dd>
          </div>
        ) : null}
      </dl>
      {progress.apollo ? <ApolloReveal apollo={progress.apollo} revealing={!finished && progress.status === "queued"} /> : null}
      <ImportCounts progress={progress} />
      {progress.error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {progress.error}
        </p>
      ) : null}
    </section>
  );
}

/**
 * An import from Apollo's search first reveals its people (the paid phase, before any row is
 * written): how far that phase is and what it has spent so far, live, then what it came to.
 */
function ApolloReveal({ apollo, revealing }: { apollo: ApolloImportFacts; revealing: boolean }) {
  const n = (value: number) => value.toLocaleString("en-US");
  const percent = apollo.people === 0 ? 100 : Math.floor((apollo.enrichedRows / apollo.people) * 100);
  return (
    <div className="space-y-2 text-sm">
      {revealing ? (
        <div
          role="progressbar"
          aria-label="Revealing people in Apollo"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent} %, ${apollo.enrichedRows} of ${apollo.people} people revealed`}
          className="h-1.5 overflow-hidden rounded-full bg-zinc-100"
        >
          <div className="h-full rounded-full bg-zinc-500 transition-[width] duration-500" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      <p className="text-zinc-600" data-testid="apollo-enrichment">
        {revealing ? "Revealing people in Apollo: " : "Apollo: "}
        {n(apollo.enrichedRows)} of {n(apollo.people)} people ready: {n(apollo.enrichedPeople)} revealed by Apollo, {n(apollo.reusedPeople)}{" "}
        revealed before (no credit); {n(apollo.creditsConsumed)} credits spent, as Apollo reported them
      </p>
    </div>
  );
}
