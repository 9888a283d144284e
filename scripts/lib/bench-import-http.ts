import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type postgres from "postgres";
import { embeddedEnvironment, loadOrCreateLocalSecrets } from "@/lib/local/secrets";
import { benchAppEnv, run, signIn, startApp, type RunningApp } from "./bench-app";
import type { ExpectedCounts, WrittenFile } from "./bench-import-file";
import { BENCH_PASSWORD, type BenchWorkspace } from "./bench-leads-data";
import { sampleProcessTree, type ProcessMemory } from "./process-tree-memory";

/**
 * Imports as a user runs them: the production build started by `npm start` (the launcher, its
 * job executor and Next), an admin's session from the app's sign-in endpoint, each file streamed
 * to POST /api/imports as the upload card sends it, the import started with the mapping the
 * Apollo preset detects, and its row polled until it is done. Memory is sampled over the app's
 * whole process tree while each import runs.
 */

export type HttpImport = {
  uploadMs: number;
  jobMs: number;
  totalMs: number;
  status: string;
  counts: Omit<ExpectedCounts, "rows"> & { rows: number };
  countsExact: boolean;
  /** The largest resident set of one process of the app (the launcher with the executor, or Next) while it ran. */
  peakProcessKb: number;
  treePeakKb: number;
  processes: ProcessMemory[];
};

export type StartImport = (input: { importId: string; headers: string[] }) => Promise<void>;

// The bench builds share one directory (tsconfig.json already includes its types; a new one would be added there).
const DIST_DIR = ".next-bench";

export class BenchApp {
  private constructor(
    private readonly app: RunningApp,
    private readonly cookie: string,
  ) {}

  /** Builds (unless BENCH_SKIP_BUILD=1 and a build exists), starts and signs in as the workspace's admin. */
  static async start(options: {
    ws: BenchWorkspace;
    appPort: number;
    pgPort: number;
    dataDir: string;
    databaseUrl: string;
    log: (line: string) => void;
  }) {
    const env = benchAppEnv({ port: options.appPort, pgPort: options.pgPort, dataDir: options.dataDir, distDir: DIST_DIR });
    if (process.env.BENCH_SKIP_BUILD !== "1" || !existsSync(path.join(DIST_DIR, "BUILD_ID"))) {
      const t = performance.now();
      await run("node", ["node_modules/next/dist/bin/next", "build"], env);
      options.log(`\nProduction build in ${DIST_DIR}: ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
    // The app and this process read the same data directory's secrets (the anon key to sign in with).
    // This process starts the import through the services, as the start action does: it needs
    // the app's environment (database, keys) too.
    const secrets = await loadOrCreateLocalSecrets(options.dataDir);
    Object.assign(process.env, { APP_URL: env.APP_URL, DATABASE_URL: options.databaseUrl }, await embeddedEnvironment(secrets, env));
    const app = await startApp(env);
    const anonKey = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!;
    const cookie = await signIn(app.url, anonKey, `admin0@bench-import.test`, BENCH_PASSWORD);
    options.log(`App: npm start on ${app.url} (pid ${app.pid}), signed in as the workspace's admin.`);
    return new BenchApp(app, cookie);
  }

  stop() {
    return this.app.stop();
  }

  /** One file: upload over HTTP → start → completed, timed from the first byte sent. */
  async importFile(sql: postgres.Sql, file: WrittenFile, start: StartImport, log: (line: string) => void): Promise<HttpImport> {
    const sampler = sampleProcessTree(this.app.pid);
    try {
      const t0 = performance.now();
      const res = await fetch(`${this.app.url}/api/imports`, {
        method: "POST",
        headers: {
          cookie: this.cookie,
          origin: this.app.url,
          "content-type": "text/csv",
          "content-length": String(file.bytes),
          "x-file-name": encodeURIComponent(path.basename(file.path)),
        },
        body: Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>,
        duplex: "half",
      } as RequestInit);
      const answer = (await res.json()) as { importId?: string; error?: string };
      if (res.status !== 201 || !answer.importId)
        throw new Error(`upload refused: ${res.status} ${answer.error ?? JSON.stringify(answer)}`);
      const uploadMs = performance.now() - t0;
      const [imp] = await sql<{ headers: string[]; total_rows: number }[]>`
        select headers, total_rows from public.lead_imports where id = ${answer.importId}`;
      log(`  uploaded in ${s(uploadMs)}: ${imp!.total_rows.toLocaleString()} rows stored; starting the import`);
      await start({ importId: answer.importId, headers: imp!.headers });
      const tJob = performance.now();
      const done = await waitUntilDone(sql, answer.importId, log);
      const totalMs = performance.now() - t0;
      const { treePeakKb, processes } = sampler.stop();
      const counts = { rows: done.total_rows, inserted: done.inserted, updated: done.updated, skipped: done.skipped, failed: done.failed };
      const app = processes.filter((p) => p.name === "Next" || p.name === "launcher + job executor");
      return {
        uploadMs,
        jobMs: performance.now() - tJob,
        totalMs,
        status: done.status,
        counts,
        countsExact: done.status === "completed" && JSON.stringify(counts) === JSON.stringify(file.expected),
        peakProcessKb: Math.max(0, ...app.map((p) => p.rssKb)),
        treePeakKb,
        processes,
      };
    } finally {
      sampler.stop();
    }
  }
}

type ImportRow = {
  status: string;
  processed_rows: number;
  total_rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
  error: string | null;
};

async function waitUntilDone(sql: postgres.Sql, importId: string, log: (line: string) => void): Promise<ImportRow> {
  let lastLog = performance.now();
  for (;;) {
    const [row] = await sql<ImportRow[]>`
      select status, processed_rows, total_rows, inserted, updated, skipped, failed, error from public.lead_imports where id = ${importId}`;
    if (!row) throw new Error(`import ${importId} disappeared`);
    if (["completed", "failed", "cancelled"].includes(row.status)) {
      if (row.status !== "completed") log(`  the import ended ${row.status}: ${row.error ?? ""}`);
      return row;
    }
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(`    ${row.status}: ${row.processed_rows.toLocaleString()} / ${row.total_rows.toLocaleString()} rows`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
