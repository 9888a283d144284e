import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

/**
 * A PhantomBuster run that imported nothing still belongs in the Imports history: a recurring
 * run that found no new row shows as a completed import of 0 rows, and a run that failed (the
 * agent's run failed, a launch that could not finish) as a failed import with its reason.
 * Such an import has no rows, no mapping and no rules (`{}`: nothing was applied); its name
 * says what happened. Written by the jobs (the service connection), as the person who asked.
 */
export type EmptyRun = {
  workspaceId: string;
  /** Who asked for the import (the schedule's creator, the person who launched the agent). */
  createdBy: string | null;
  agentName: string;
  outcome: "nothing_new" | "failed";
  /** Why it failed (shown as the import's error); a run with nothing new says so by its name alone. */
  message: string;
};

export const NO_NEW_ROWS = "no new rows";
export const RUN_FAILED = "run failed";

export function emptyRunFileName(agentName: string, outcome: EmptyRun["outcome"]): string {
  return `PhantomBuster – ${agentName.trim() || "agent"} – ${outcome === "failed" ? RUN_FAILED : NO_NEW_ROWS}`.slice(0, 255);
}

export async function recordRunInHistory(db: Executor, run: EmptyRun): Promise<string> {
  const status = run.outcome === "failed" ? "failed" : "completed";
  const [row] = await db.execute<{ id: string }>(sql`
    insert into public.lead_imports (workspace_id, created_by, file_name, source, file_size, encoding, delimiter, headers,
      total_rows, status, preset, mapping, rules, error, started_at, finished_at)
    values (${run.workspaceId}, ${run.createdBy}, ${emptyRunFileName(run.agentName, run.outcome)}, 'phantombuster', 0, 'utf-8', ',',
      '{}'::text[], 0, ${status}::public.lead_import_status, null, '{}'::jsonb, '{}'::jsonb, ${run.outcome === "failed" ? run.message.slice(0, 1000) : null}, now(), now())
    returning id`);
  return row!.id;
}
