import type { ImportStatus } from "@/db/schema/lead-import-enums";

/**
 * The figures an import's page and the history list show (browser-safe, pure): percent done,
 * duration, rows per second and time left, computed here only so the page, the live poll and
 * the list never disagree.
 */

export type ImportClock = {
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
  /** Paused since (null unless paused now), and the time of the pauses before. */
  pausedAt?: Date | string | null;
  pausedMs?: number;
};

export type ImportFigures = {
  /** Whole percent, rounded down: 100 only once every row is accounted for. */
  percent: number;
  /** Started to finished (or to now while it runs), less the time it was paused; null before the job starts. */
  durationMs: number | null;
  /** Rows accounted for per second of that duration; null until there is something to divide. */
  rowsPerSecond: number | null;
  /** At the rate so far; null unless the job is running and has a rate. */
  remainingMs: number | null;
};

/** Under a second of work gives a rate that swings wildly: wait for a little history. */
const MIN_ELAPSED_FOR_RATE_MS = 1_000;

export const FINISHED_IMPORT_STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly ImportStatus[];

export function isImportFinished(status: ImportStatus): boolean {
  return (FINISHED_IMPORT_STATUSES as readonly ImportStatus[]).includes(status);
}

/** Queued and running imports change by themselves: their pages keep polling. */
export function isImportMoving(status: ImportStatus): boolean {
  return status === "queued" || status === "running";
}

export function importFigures(clock: ImportClock, now: number = Date.now()): ImportFigures {
  const { totalRows, processedRows } = clock;
  const percent = totalRows > 0 ? Math.floor((processedRows * 100) / totalRows) : clock.status === "completed" ? 100 : 0;
  const started = clock.startedAt ? new Date(clock.startedAt).getTime() : null;
  const ended = clock.finishedAt ? new Date(clock.finishedAt).getTime() : now;
  // A pause counts from the start of the work: one while it waited its turn delayed nothing started.
  const pausedNow = clock.pausedAt && started !== null ? Math.max(0, ended - Math.max(new Date(clock.pausedAt).getTime(), started)) : 0;
  const durationMs = started === null ? null : Math.max(0, ended - started - (clock.pausedMs ?? 0) - pausedNow);
  const rowsPerSecond =
    durationMs !== null && processedRows > 0 && (durationMs >= MIN_ELAPSED_FOR_RATE_MS || clock.finishedAt)
      ? (processedRows * 1000) / Math.max(durationMs, 1)
      : null;
  const remainingMs = clock.status === "running" && rowsPerSecond ? Math.round(((totalRows - processedRows) / rowsPerSecond) * 1000) : null;
  return { percent, durationMs, rowsPerSecond, remainingMs };
}

/** `1,234 rows/s`, `0.5 rows/s`, `—`. */
export function formatRate(rowsPerSecond: number | null): string {
  if (rowsPerSecond === null) return "—";
  const shown = rowsPerSecond >= 10 ? Math.round(rowsPerSecond) : Math.round(rowsPerSecond * 10) / 10;
  return `${shown.toLocaleString("en-US")} rows/s`;
}

/** A duration in words a person reads at a glance: `850 ms`, `12 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatElapsed(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Time left, rounded up so it never says "0 s" while rows remain: `about 40 s`, `about 3 min`. */
export function formatTimeLeft(ms: number | null): string {
  if (ms === null) return "—";
  if (ms <= 0) return "finishing";
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `about ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

const KB = 1024;

/** File sizes as people read them: `812 B`, `14.2 KB`, `287.4 MB`. */
export function formatFileSize(bytes: number): string {
  if (bytes < KB) return `${bytes} B`;
  if (bytes < KB * KB) return `${(bytes / KB).toFixed(1)} KB`;
  if (bytes < KB * KB * KB) return `${(bytes / (KB * KB)).toFixed(1)} MB`;
  return `${(bytes / (KB * KB * KB)).toFixed(2)} GB`;
}
