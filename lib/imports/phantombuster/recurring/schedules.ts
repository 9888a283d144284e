import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db";
import { pgArray } from "@/db/pg-array";
import { phantomBusterSchedules } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { fetchAgent, ZPhantomId } from "@/lib/integrations/phantombuster/agents";
import { phantomBusterClientForWorkspace } from "@/lib/integrations/phantombuster/client-for-account";
import { sendEvent } from "@/lib/jobs/send-event";
import type { ImportActor } from "../../control-import";
import { refusalOf } from "../import-agent-result";
import type { Cadence } from "./cadences";

/**
 * Recurring imports of a PhantomBuster agent's results, the person's side: schedule one (daily,
 * or after each of the agent's runs), see them with their latest runs, cancel one. The runs are
 * a background job (inngest/functions/integrations/phantombuster-schedules.ts) that adds only
 * the rows no earlier run imported (run-schedule.ts).
 */

export { CADENCES, type Cadence } from "./cadences";

export const ZScheduleAgentImport = z.object({
  agentId: ZPhantomId,
  cadence: z.enum(["daily", "after_each_run"], { message: "Choose how often to import: every day, or after each run." }),
});
export const ZCancelAgentImportSchedule = z.object({ scheduleId: z.uuid("That recurring import is not valid.") });

/** How long after a run the next one is claimed: a day, or the next check for a new run of the agent. */
export const CADENCE_INTERVAL: Record<Cadence, string> = { daily: "1 day", after_each_run: "15 minutes" };

export type ScheduleCreated = { scheduleId: string; workspaceId: string; accountId: string; agentName: string; cadence: Cadence };

export async function scheduleAgentImport(
  tx: Database,
  actor: ImportActor,
  input: z.infer<typeof ZScheduleAgentImport>,
): Promise<ScheduleCreated> {
  if (!can(actor.role, "imports.run")) throw forbidden("Your role can read leads but not import them.");
  const { client, accountId } = await phantomBusterClientForWorkspace(tx, actor);
  const agent = await fetchAgent(client, input.agentId).catch((error: unknown) => {
    throw refusalOf(error);
  });
  const agentName = (agent.name?.trim() || `Agent ${agent.id}`).slice(0, 200);
  const [live] = await tx
    .select({ cadence: phantomBusterSchedules.cadence })
    .from(phantomBusterSchedules)
    .where(
      and(
        eq(phantomBusterSchedules.workspaceId, actor.workspaceId),
        eq(phantomBusterSchedules.accountId, accountId),
        eq(phantomBusterSchedules.agentId, agent.id),
        isNull(phantomBusterSchedules.cancelledAt),
      ),
    );
  if (live) {
    throw new AppError(
      "conflict",
      `“${agentName}” is already imported ${live.cadence === "daily" ? "every day" : "after each of its runs"}. Cancel that recurring import first to change it.`,
    );
  }
  // The first run is asked for at once (after the commit); the cron takes the next ones.
  const [row] = await tx
    .insert(phantomBusterSchedules)
    .values({
      workspaceId: actor.workspaceId,
      accountId,
      agentId: agent.id,
      agentName,
      cadence: input.cadence,
      createdBy: actor.userId,
      nextRunAt: sql`now() + ${CADENCE_INTERVAL[input.cadence]}::interval` as unknown as Date,
    })
    .returning({ id: phantomBusterSchedules.id });
  return { scheduleId: row!.id, workspaceId: actor.workspaceId, accountId, agentName, cadence: input.cadence };
}

/** After the commit: the schedule's first run, importing the agent's current result. */
export async function sendFirstScheduleRun(created: ScheduleCreated): Promise<void> {
  await sendEvent({
    name: "integrations/phantombuster-schedule.due",
    data: { workspaceId: created.workspaceId, accountId: created.accountId, scheduleId: created.scheduleId, slot: "first" },
    id: `phantombuster-schedule-${created.scheduleId}-first`,
  });
}

/** Its creator, a manager or an admin (RLS checks again); runs under way finish, no new one starts. */
export async function cancelAgentImportSchedule(
  tx: Database,
  actor: ImportActor,
  { scheduleId }: z.infer<typeof ZCancelAgentImportSchedule>,
): Promise<{ agentName: string }> {
  if (!can(actor.role, "imports.run")) throw forbidden("Your role can read leads but not import them.");
  const [row] = await tx
    .update(phantomBusterSchedules)
    .set({ cancelledAt: sql`now()` as unknown as Date, cancelledBy: actor.userId })
    .where(
      and(
        eq(phantomBusterSchedules.id, scheduleId),
        eq(phantomBusterSchedules.workspaceId, actor.workspaceId),
        isNull(phantomBusterSchedules.cancelledAt),
      ),
    )
    .returning({ agentName: phantomBusterSchedules.agentName });
  if (!row) {
    const [visible] = await tx
      .select({ createdBy: phantomBusterSchedules.createdBy, cancelledAt: phantomBusterSchedules.cancelledAt })
      .from(phantomBusterSchedules)
      .where(and(eq(phantomBusterSchedules.id, scheduleId), eq(phantomBusterSchedules.workspaceId, actor.workspaceId)));
    if (!visible) throw notFound("That recurring import");
    if (visible.cancelledAt) throw new AppError("conflict", "That recurring import is already cancelled.");
    throw forbidden("Only the person who scheduled this import, a manager or an admin can cancel it.");
  }
  return row;
}

export type ScheduleRunView = {
  id: string;
  outcome: "imported" | "nothing_new" | "failed";
  newRows: number;
  importId: string | null;
  message: string | null;
  at: Date;
};
export type ScheduleView = {
  id: string;
  agentId: string;
  agentName: string;
  cadence: Cadence;
  createdBy: string | null;
  createdAt: Date;
  nextRunAt: Date;
  runs: ScheduleRunView[];
};

const RUNS_SHOWN = 5;

/** The workspace's live recurring imports, newest first, each with its latest runs. */
export async function listAgentImportSchedules(tx: Database, { workspaceId }: { workspaceId: string }): Promise<ScheduleView[]> {
  const schedules = await tx
    .select({
      id: phantomBusterSchedules.id,
      agentId: phantomBusterSchedules.agentId,
      agentName: phantomBusterSchedules.agentName,
      cadence: phantomBusterSchedules.cadence,
      createdBy: phantomBusterSchedules.createdBy,
      createdAt: phantomBusterSchedules.createdAt,
      nextRunAt: phantomBusterSchedules.nextRunAt,
    })
    .from(phantomBusterSchedules)
    .where(and(eq(phantomBusterSchedules.workspaceId, workspaceId), isNull(phantomBusterSchedules.cancelledAt)))
    .orderBy(desc(phantomBusterSchedules.createdAt))
    .limit(100);
  if (schedules.length === 0) return [];
  const ids = schedules.map((s) => s.id);
  const runs = await tx.execute<{
    schedule_id: string;
    id: string;
    outcome: ScheduleRunView["outcome"];
    new_rows: number;
    import_id: string | null;
    message: string | null;
    at: string;
  }>(sql`
    select schedule_id, id, outcome, new_rows, import_id, message, created_at as at from (
      select r.*, row_number() over (partition by r.schedule_id order by r.created_at desc, r.id desc) as n
      from public.phantombuster_schedule_runs r
      where r.workspace_id = ${workspaceId} and r.schedule_id = any(${pgArray(ids)}::uuid[])
    ) latest where n <= ${RUNS_SHOWN}
    order by at desc, id desc`);
  return schedules.map((s) => ({
    ...s,
    runs: runs
      .filter((r) => r.schedule_id === s.id)
      .map((r) => ({
        id: r.id,
        outcome: r.outcome,
        newRows: r.new_rows,
        importId: r.import_id,
        message: r.message,
        at: new Date(r.at),
      })),
  }));
}
