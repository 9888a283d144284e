import os from "node:os";

/**
 * Settings of the embedded PostgreSQL that holds the app's data (not the throw-away clusters of
 * tests, which keep PostgreSQL's defaults: many run at once on one machine).
 *
 * PostgreSQL's defaults are sized for a server that shares a small machine: 128 MB of shared
 * buffers and a checkpoint whenever 1 GB of WAL has been written. A million-lead workspace is
 * about 3 GB of table and indexes, and an import writes into all of it: with the defaults, a
 * 1M-row import forced 34 checkpoints and wrote 53 GB, most of it full-page images that every
 * checkpoint makes the next change of each page write again. Fewer, spread-out checkpoints
 * and a buffer cache that holds the hot indexes fix that (measured in scripts/bench-import.ts
 * with BENCH_PG_SETTINGS; figures in issue 11's notes).
 *
 * Shared buffers take a sixteenth of the machine's memory, between 128 MB and 1 GB; memory is
 * only used as pages are read, so a small database costs little. WAL may grow to max_wal_size
 * on disk between checkpoints.
 */
export function durableClusterSettings(totalMemoryBytes: number = os.totalmem()): Record<string, string> {
  const mb = Math.min(1024, Math.max(128, Math.floor(totalMemoryBytes / 16 / 2 ** 20 / 64) * 64));
  return {
    shared_buffers: `${mb}MB`,
    max_wal_size: "4GB",
    min_wal_size: "256MB",
    checkpoint_timeout: "15min",
  };
}

const BEGIN = "# --- Lead Intelligence Panel: managed settings, rewritten on every start (ALTER SYSTEM overrides them) ---";
const END = "# --- end of the Lead Intelligence Panel's settings ---";

/**
 * postgresql.conf with the managed block replaced (or appended): the settings live in the file
 * PostgreSQL reads first, so ALTER SYSTEM (postgresql.auto.conf) still overrides any of them,
 * and a cluster made by an older version of the app gets them on its next start.
 */
export function withManagedSettings(conf: string, settings: Record<string, string>): string {
  const start = conf.indexOf(BEGIN);
  const end = conf.indexOf(END);
  const rest = start >= 0 && end > start ? conf.slice(0, start) + conf.slice(end + END.length).replace(/^\n/, "") : conf;
  const lines = Object.entries(settings).map(([name, value]) => `${name} = '${value.replace(/'/g, "''")}'`);
  return `${rest.replace(/\n*$/, "\n")}${BEGIN}\n${lines.join("\n")}\n${END}\n`;
}
