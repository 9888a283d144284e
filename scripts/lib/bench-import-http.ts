import { existsSync } from "node:fs";
import path from "node:path";
import type postgres from "postgres";
import type { BenchWorkspace } from "./bench-leads-data";
import type { WrittenFile } from "./bench-import-file";

/**
 * One import as a user does it: the production build of the app started by `npm start`, a
 * manager's session from the sign-in endpoint, the file streamed to POST /api/imports, the
 * import started, and its row polled until it completes.
 */

export type HttpImport = {
  uploadMs: number;
  jobMs: number;
  totalMs: number;
  countsExact: boolean;
  /** The largest resident set of one process of the app (launcher + executor, or Next) while it ran. */
  peakProcessKb: number;
};

const ROUTE = "app/api/imports/route.ts";

export async function importOverHttp(options: {
  sql: postgres.Sql;
  ws: BenchWorkspace;
  file: WrittenFile;
  appPort: number;
  pgPort: number;
  dataDir: string;
  log: (line: string) => void;
}): Promise<HttpImport | null> {
  if (!existsSync(path.resolve(ROUTE))) {
    options.log(`  import over HTTP: not run, ${ROUTE} (the upload route) is not on this branch yet.`);
    return null;
  }
  options.log(`  import over HTTP: not run, starting an import is not wired into this benchmark yet.`);
  return null;
}
