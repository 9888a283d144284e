import { cron, NonRetriableError } from "inngest";
import { serviceDb } from "@/db";
import { inngest, phantomBusterScheduleDue, type CronContext, type EventContext } from "@/inngest/client";
import { AppError } from "@/lib/errors";
import { sendImportEvent } from "@/lib/imports/control-import";
import { refusalOf } from "@/lib/imports/phantombuster/import-agent-result";
import { importerOf, startAgentImportForJob } from "@/lib/imports/phantombuster/launch-and-import";
import {
  checkAgentRun,
  claimDueSchedules,
  recordedRun,
  recordScheduleRun,
  scheduleForRun,
  storeNewAgentRows,
} from "@/lib/imports/phantombuster/recurring/run-schedule";
import { IntegrationNotConnected } from "@/lib/integrations/accounts/integration-key";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { phantomBusterClientForJob } from "@/lib/integrations/phantombuster/client-for-job";
import { recordPhantomBusterOutcome } from "@/lib/integrations/phantombuster/record-outcome";

/**
 * Recurring PhantomBuster imports (lib/imports/phantombuster/recurring): every 15 minutes the
 * due schedules are claimed and each gets a run; a run imports the rows of the agent's latest
 * result that no earlier run imported, through the CSV import pipeline (its import in the
 * history like any other). A failed run of the agent, or an answer of PhantomBuster's that is
 * not what it documents, fails the run with the reason, recorded on the schedule and shown on
 * the Jobs page; PhantomBuster down or limiting us is retried.
 */

/** What retrying cannot change fails the run at once, in words, recorded on the schedule. */
function isFinal(error: unknown): boolean {
  if (error instanceof IntegrationNotConnected) return true;
  if (error instanceof VendorError) return !error.retryable;
  return error instanceof AppError && error.code !== "unavailable" && error.code !== "rate_limited";
}

export async function runPhantomBusterSchedule({ event, step }: EventContext<"integrations/phantombuster-schedule.due">) {
  const request = event.data;
  const db = () => serviceDb();
  const client = () => phantomBusterClientForJob(db(), request);
  /** Records the failure on the schedule (once for this slot), then fails this run with it. */
  const fail = async (error: unknown, containerId: string | null = null): Promise<never> => {
    const refused = error instanceof VendorError ? refusalOf(error) : error;
    if (!isFinal(error)) throw refused;
    const message = refused instanceof Error ? refused.message : String(refused);
    await recordScheduleRun(db(), request, { outcome: "failed", containerId, message });
    throw new NonRetriableError(message, { cause: error });
  };

  // A replayed run (the same slot) answers what it did: it never imports again.
  const recorded = await step.run("find-recorded-run", () => recordedRun(db(), request));
  if (recorded?.outcome === "imported" && recorded.importId)
    return { importId: recorded.importId, newRows: recorded.newRows, replayed: true };
  if (recorded) return { skipped: `This run was made already (${recorded.outcome === "failed" ? "it failed" : "nothing new"}).` };

  const schedule = await step.run("find-schedule", () => scheduleForRun(db(), request));
  if (!schedule) return { skipped: "The recurring import was cancelled." };

  const check = await step.run("check-agent-run", async () => {
    try {
      const c = await client();
      const checked = await checkAgentRun(c, schedule);
      await recordPhantomBusterOutcome(request);
      return checked;
    } catch (error) {
      await recordPhantomBusterOutcome(request, error).catch(() => undefined);
      return fail(error);
    }
  });
  if (check.state === "running") return { skipped: "The agent is running; its result is imported at the next check." };
  if (check.state === "no-new-run") {
    // After each run: nothing happened, nothing to show. Every day: the day's run says so.
    if (schedule.cadence === "after_each_run") return { skipped: check.why };
    await step.run("record-no-new-run", () =>
      recordScheduleRun(db(), request, { outcome: "nothing_new", containerId: null, message: check.why }),
    );
    return { nothingNew: true };
  }
  if (check.state === "failed") {
    await step.run("record-failed-run", () =>
      recordScheduleRun(db(), request, { outcome: "failed", containerId: check.containerId, message: check.reason }),
    );
    throw new NonRetriableError(check.reason);
  }

  const actor = await step.run("find-importer", async () =>
    schedule.createdBy ? await importerOf(db(), { ...request, agentId: schedule.agentId, requestedBy: schedule.createdBy }) : null,
  );
  if (!actor) {
    return fail(new AppError("forbidden", "The person who scheduled this import may no longer import leads here; nothing was imported."));
  }
  const stored = await step.run("store-new-rows", async () => {
    try {
      return await storeNewAgentRows(db(), await client(), actor, request, schedule);
    } catch (error) {
      await recordPhantomBusterOutcome(request, error).catch(() => undefined);
      return fail(error, check.containerId);
    }
  });
  if ("nothingNew" in stored) return { nothingNew: true };

  const started = await step.run("start-import", () => startAgentImportForJob(actor, stored.importId));
  if (started.status === "queued") {
    await step.run("send-import-event", () =>
      sendImportEvent({ workspaceId: request.workspaceId, importId: started.importId, requestedBy: actor.userId }, "start"),
    );
  }
  return { ...started, newRows: stored.newRows };
}

export const runPhantomBusterScheduleFunction = inngest.createFunction(
  {
    id: "run-phantombuster-schedule",
    name: "Import an agent's new PhantomBuster results (recurring)",
    triggers: [phantomBusterScheduleDue],
    // Per integration account: one run at a time (two would race over the same agent's rows)
    // and at most 20 a minute, whatever the number of schedules, for PhantomBuster's sake.
    concurrency: { limit: 1, key: "event.data.accountId" },
    throttle: { limit: 20, period: "1m", key: "event.data.accountId" },
    retries: 3,
  },
  runPhantomBusterSchedule,
);

export async function phantomBusterSchedulesDue({ step }: CronContext) {
  const due = await step.run("claim-due", () => claimDueSchedules(serviceDb()));
  if (due.length === 0) return { due: 0 };
  await step.sendEvent(
    "fan-out",
    due.map((data) => ({ name: phantomBusterScheduleDue.name, data, id: `phantombuster-schedule-${data.scheduleId}-${data.slot}` })),
  );
  return { due: due.length };
}

export const phantomBusterSchedulesDueFunction = inngest.createFunction(
  {
    id: "phantombuster-schedules-due",
    name: "Start the due recurring PhantomBuster imports (every 15 minutes)",
    triggers: [cron("*/15 * * * *")],
    retries: 2,
  },
  phantomBusterSchedulesDue,
);
