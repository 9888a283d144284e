import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { serviceDb, type Database } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { forbidden } from "@/lib/errors";
import { ZPhantomId } from "@/lib/integrations/phantombuster/agents";
import { phantomBusterClientForWorkspace } from "@/lib/integrations/phantombuster/client-for-account";
import { sendEvent } from "@/lib/jobs/send-event";
import type { ImportActor } from "../control-import";
import { getLeadImport } from "../get-lead-import";
import { startAgentImport, type AgentImportStarted } from "./import-agent-result";

/**
 * "Launch and import": the agent is launched by a background job that polls its run with
 * durable sleeps and imports the result when the run has finished well
 * (inngest/functions/integrations/launch-phantombuster-agent.ts). These are its service ends.
 */

export const ZLaunchAgent = z.object({ agentId: ZPhantomId });

export type AgentLaunchRequest = { workspaceId: string; accountId: string; agentId: string; requestedBy: string };

/** The person's side: may they import, is PhantomBuster connected with a key that opens. */
export async function requestAgentLaunch(
  tx: Database,
  actor: ImportActor,
  { agentId }: z.infer<typeof ZLaunchAgent>,
): Promise<AgentLaunchRequest> {
  if (!can(actor.role, "imports.run")) throw forbidden("Your role can read leads but not import them.");
  const { accountId } = await phantomBusterClientForWorkspace(tx, actor);
  return { workspaceId: actor.workspaceId, accountId, agentId, requestedBy: actor.userId };
}

/** After the commit. A second click within the same minute launches nothing more (the event id). */
export async function sendAgentLaunchEvent(request: AgentLaunchRequest, now = Date.now()): Promise<void> {
  const minute = Math.floor(now / 60_000);
  await sendEvent({
    name: "integrations/phantombuster-launch.requested",
    data: request,
    id: `phantombuster-launch-${request.accountId}-${request.agentId}-${request.requestedBy}-${minute}`,
  });
}

/** The requester as an importer today (their role may have changed since they asked); null when they may not import. */
export async function importerOf(db: Database, { workspaceId, requestedBy }: AgentLaunchRequest): Promise<ImportActor | null> {
  const [member] = await db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(workspaceMembers.userId, requestedBy)));
  return member && can(member.role, "imports.run") ? { workspaceId, userId: requestedBy, role: member.role } : null;
}

/**
 * Starts the stored result's import for the job, on the service connection (scoped by the
 * workspace explicitly; startLeadImport checks the requester's role itself). A replayed step
 * finds it started already and says so instead of failing.
 */
export async function startAgentImportForJob(actor: ImportActor, importId: string): Promise<AgentImportStarted> {
  return serviceDb().transaction(async (tx) => {
    const imp = await getLeadImport(tx, { workspaceId: actor.workspaceId, importId });
    if (imp && imp.status !== "mapping") {
      return { importId, status: "queued", fileName: imp.fileName, presetLabel: imp.preset ?? "", notice: null };
    }
    return startAgentImport(tx, actor, importId);
  });
}
