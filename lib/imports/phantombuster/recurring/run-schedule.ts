import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { phantomBusterScheduleRuns, phantomBusterSchedules } from "@/db/schema";
import { fetchAgentOutput, fetchContainer, runOutcome } from "@/lib/integrations/phantombuster/agents";
import type { PhantomBusterClient } from "@/lib/integrations/phantombuster/client";
import type { ImportActor } from "../../control-import";
import { NoRowsKept } from "../../upload/store-upload";
import { downloadAndStore, type AgentImportOptions } from "../import-agent-result";
import { recordRunInHistory } from "../record-run-in-history";
import { rememberTaken, takenFingerprints } from "./imported-rows";
import { rowFingerprinter, type RowFingerprint } from "./row-fingerprint";
import { CADENCE_INTERVAL, type Cadence } from "./schedules";

/**
 * A run of a recurring import, the job's side (on the service connection, every statement
 * scoped by the workspace): claim the due schedules, look at the agent's latest run, and store
 * the rows of its result that no earlier run of this agent imported. The fingerprints of the
 * stored rows, the run's record and the schedule's last run are written in the SAME transaction
 * as the import's rows: a retried or replayed step finds them and imports nothing twice.
 */

export type ScheduleRunRequest = { workspaceId: string; accountId: string; scheduleId: string; slot: string };
export type ScheduleForRun = {
  id: string;
  workspaceId: string;
  accountId: string;
  agentId: string;
  agentName: string;
  cadence: Cadence;
  createdBy: string | null;
  lastContainerId: string | null;
};

/**
 * Due schedules, each claimed once: its next run moved a cadence ahead in the same statement.
 * A schedule whose PhantomBuster account is disconnected waits (no failed run every check);
 * it runs again once the account is connected.
 */
export async function claimDueSchedules(db: Database): Promise<ScheduleRunRequest[]> {
  const rows = await db.execute<{ id: string; workspace_id: string; account_id: string; slot: string }>(sql`
    with due as (
      select s.id, s.next_run_at from public.phantombuster_schedules s
      where s.cancelled_at is null and s.next_run_at <= now()
        and exists (select 1 from public.integration_accounts a
                    where a.id = s.account_id and a.workspace_id = s.workspace_id and a.status <> 'disconnected')
      order by s.next_run_at limit 500
      for update of s skip locked
    )
    update public.phantombuster_schedules s
    set next_run_at = now() + (case s.cadence when 'daily' then ${CADENCE_INTERVAL.daily} else ${CADENCE_INTERVAL.after_each_run} end)::interval
    from due where s.id = due.id
    returning s.id, s.workspace_id, s.account_id, to_char(due.next_run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as slot`);
  return rows.map((r) => ({ workspaceId: r.workspace_id, accountId: r.account_id, scheduleId: r.id, slot: r.slot }));
}

/** The schedule, while it is live and still uses the account the run was asked for. */
export async function scheduleForRun(db: Database, request: ScheduleRunRequest): Promise<ScheduleForRun | null> {
  const [row] = await db
    .select({
      id: phantomBusterSchedules.id,
      workspaceId: phantomBusterSchedules.workspaceId,
      accountId: phantomBusterSchedules.accountId,
      agentId: phantomBusterSchedules.agentId,
      agentName: phantomBusterSchedules.agentName,
      cadence: phantomBusterSchedules.cadence,
      createdBy: phantomBusterSchedules.createdBy,
      lastContainerId: phantomBusterSchedules.lastContainerId,
      cancelledAt: phantomBusterSchedules.cancelledAt,
    })
    .from(phantomBusterSchedules)
    .where(and(eq(phantomBusterSchedules.id, request.scheduleId), eq(phantomBusterSchedules.workspaceId, request.workspaceId)));
  if (!row || row.cancelledAt || row.accountId !== request.accountId) return null;
  const { cancelledAt: _cancelled, ...schedule } = row;
  return schedule;
}

/** What this slot's run already did (a replay or a retry after it was recorded). */
export async function recordedRun(db: Database, request: ScheduleRunRequest) {
  const [run] = await db
    .select({
      outcome: phantomBusterScheduleRuns.outcome,
      importId: phantomBusterScheduleRuns.importId,
      newRows: phantomBusterScheduleRuns.newRows,
    })
    .from(phantomBusterScheduleRuns)
    .where(
      and(
        eq(phantomBusterScheduleRuns.scheduleId, request.scheduleId),
        eq(phantomBusterScheduleRuns.workspaceId, request.workspaceId),
        eq(phantomBusterScheduleRuns.slot, request.slot),
      ),
    );
  return run ?? null;
}

export type AgentRunCheck =
  | { state: "new-run"; containerId: string | null }
  | { state: "no-new-run"; why: string }
  | { state: "running" }
  | { state: "failed"; containerId: string; reason: string };

/**
 * Whether the agent has a run to import from: its latest run, if it is not the one the schedule
 * last took (each run is taken once; the first run of a schedule takes the current result).
 */
export async function checkAgentRun(client: PhantomBusterClient, schedule: ScheduleForRun): Promise<AgentRunCheck> {
  const latest = await fetchAgentOutput(client, schedule.agentId);
  if (latest.status === "never launched") return { state: "no-new-run", why: "The agent has never run, so it has no result yet." };
  if (latest.status === "starting" || latest.status === "running") return { state: "running" };
  if (latest.containerId && latest.containerId === schedule.lastContainerId) {
    return { state: "no-new-run", why: "The agent has not run since the last import." };
  }
  if (latest.status === "launch error" && latest.containerId) {
    return {
      state: "failed",
      containerId: latest.containerId,
      reason: "The agent's latest run could not start (PhantomBuster reports a launch error).",
    };
  }
  if (!latest.containerId) return { state: "new-run", containerId: null };
  const outcome = runOutcome(await fetchContainer(client, latest.containerId));
  if (outcome.state === "running") return { state: "running" };
  if (outcome.state === "failed") return { state: "failed", containerId: latest.containerId, reason: outcome.reason };
  return { state: "new-run", containerId: latest.containerId };
}

/**
 * Records a run that imported nothing (nothing new, or failed) once for its slot, and the run of
 * the agent it was about; the run shows in the Imports history too, as an import of 0 rows or a
 * failed one with its reason (record-run-in-history.ts), linked from the run.
 */
export async function recordScheduleRun(
  db: Database,
  request: ScheduleRunRequest,
  run: { outcome: "nothing_new" | "failed"; containerId: string | null; message: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(phantomBusterScheduleRuns)
      .values({
        workspaceId: request.workspaceId,
        scheduleId: request.scheduleId,
        slot: request.slot,
        outcome: run.outcome,
        containerId: run.containerId,
        message: run.message.slice(0, 1000),
      })
      .onConflictDoNothing()
      .returning({ id: phantomBusterScheduleRuns.id });
    if (inserted) {
      const [schedule] = await tx
        .select({ agentName: phantomBusterSchedules.agentName, createdBy: phantomBusterSchedules.createdBy })
        .from(phantomBusterSchedules)
        .where(and(eq(phantomBusterSchedules.id, request.scheduleId), eq(phantomBusterSchedules.workspaceId, request.workspaceId)));
      if (schedule) {
        const importId = await recordRunInHistory(tx, {
          workspaceId: request.workspaceId,
          createdBy: schedule.createdBy,
          agentName: schedule.agentName,
          outcome: run.outcome,
          message: run.message,
        });
        await tx.update(phantomBusterScheduleRuns).set({ importId }).where(eq(phantomBusterScheduleRuns.id, inserted.id));
      }
    }
    if (run.containerId) {
      await tx
        .update(phantomBusterSchedules)
        .set({ lastContainerId: run.containerId })
        .where(and(eq(phantomBusterSchedules.id, request.scheduleId), eq(phantomBusterSchedules.workspaceId, request.workspaceId)));
    }
  });
}

export type NewRowsStored = { importId: string; newRows: number } | { nothingNew: true };

/**
 * Stores the rows of the agent's latest result that no earlier run imported, as a new import
 * (status `mapping`; the caller starts it). Nothing new: the run is recorded as such.
 */
export async function storeNewAgentRows(
  db: Database,
  client: PhantomBusterClient,
  actor: ImportActor,
  request: ScheduleRunRequest,
  schedule: ScheduleForRun,
  options: AgentImportOptions = {},
): Promise<NewRowsStored> {
  const done = await recordedRun(db, request);
  if (done) return done.outcome === "imported" && done.importId ? { importId: done.importId, newRows: done.newRows } : { nothingNew: true };

  const seen = await takenFingerprints(db, request.workspaceId, schedule.agentId);
  const fresh: string[] = [];
  let fingerprint: RowFingerprint | null = null;
  const taken: { containerId: string | null } = { containerId: null };
  try {
    const stored = await downloadAndStore(client, actor, schedule.agentId, { ...options, fileNameNote: "new rows" }, (_agent, run) => {
      taken.containerId = run?.id ?? null;
      return {
        keep(header, fields) {
          fingerprint ??= rowFingerprinter(header);
          const print = fingerprint(fields);
          if (seen.has(print)) return false;
          fresh.push(print);
          return true;
        },
        async stored(tx, importId) {
          await rememberTaken(tx, { workspaceId: request.workspaceId, agentId: schedule.agentId, importId }, fresh);
          await tx`
            insert into public.phantombuster_schedule_runs (workspace_id, schedule_id, slot, outcome, container_id, import_id, new_rows)
            values (${request.workspaceId}, ${request.scheduleId}, ${request.slot}, 'imported', ${taken.containerId}, ${importId}, ${fresh.length})`;
          await tx`
            update public.phantombuster_schedules set last_container_id = coalesce(${taken.containerId}, last_container_id)
            where id = ${request.scheduleId} and workspace_id = ${request.workspaceId}`;
        },
      };
    });
    return { importId: stored.importId, newRows: fresh.length };
  } catch (error) {
    if (!(error instanceof NoRowsKept)) throw error;
    await recordScheduleRun(db, request, {
      outcome: "nothing_new",
      containerId: taken.containerId,
      message: "Every row of the agent's result was imported before: nothing new to import.",
    });
    return { nothingNew: true };
  }
}
