"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import type { ImportActor } from "@/lib/imports/control-import";
import { importLatestAgentResult, sendAgentImportEvent, ZImportAgentResult } from "@/lib/imports/phantombuster/import-agent-result";
import { requestAgentLaunch, sendAgentLaunchEvent, ZLaunchAgent } from "@/lib/imports/phantombuster/launch-and-import";
import {
  cancelAgentImportSchedule,
  scheduleAgentImport,
  sendFirstScheduleRun,
  ZCancelAgentImportSchedule,
  ZScheduleAgentImport,
} from "@/lib/imports/phantombuster/recurring/schedules";

const actorOf = (session: WorkspaceSession): ImportActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

/**
 * "Import latest result" of a PhantomBuster agent (lib/imports/phantombuster): a new import of
 * its result file with the PhantomBuster preset, whose job starts once the transaction commits.
 */
export const importPhantomBusterResultAction = defineAction({
  name: "importPhantomBusterResultAction",
  workspaceLimit: "vendor-runs",
  schema: ZImportAgentResult,
  auth: "imports.run",
  handler: ({ session, tx }, input) => importLatestAgentResult((work) => work(tx), actorOf(session), input),
  afterCommit: async ({ session }, started) => {
    await sendAgentImportEvent(actorOf(session), started);
    return started;
  },
  revalidate: ["/imports"],
});

/**
 * "Launch and import": a background job launches the agent, follows its run and imports the
 * result when it has finished (inngest/functions/integrations/launch-phantombuster-agent.ts).
 */
export const launchPhantomBusterAgentAction = defineAction({
  name: "launchPhantomBusterAgentAction",
  workspaceLimit: "vendor-runs",
  schema: ZLaunchAgent,
  auth: "imports.run",
  handler: ({ session, tx }, input) => requestAgentLaunch(tx, actorOf(session), input),
  afterCommit: async (_, request) => {
    await sendAgentLaunchEvent(request);
    return request;
  },
});

/**
 * A recurring import of the agent's results (lib/imports/phantombuster/recurring): its first run
 * starts once the transaction commits, the next ones every day or after each of the agent's runs.
 */
export const scheduleAgentImportAction = defineAction({
  name: "scheduleAgentImportAction",
  workspaceLimit: "vendor-runs",
  schema: ZScheduleAgentImport,
  auth: "imports.run",
  handler: ({ session, tx }, input) => scheduleAgentImport(tx, actorOf(session), input),
  afterCommit: async (_, created) => {
    await sendFirstScheduleRun(created);
    return created;
  },
  revalidate: ["/imports/phantombuster"],
});

/** Its creator, a manager or an admin; the imports it made stay. */
export const cancelAgentImportScheduleAction = defineAction({
  name: "cancelAgentImportScheduleAction",
  schema: ZCancelAgentImportSchedule,
  auth: "imports.run",
  handler: ({ session, tx }, input) => cancelAgentImportSchedule(tx, actorOf(session), input),
  revalidate: ["/imports/phantombuster"],
});
