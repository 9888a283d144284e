import "server-only";
import type { Database } from "@/db";
import { can } from "@/lib/auth/permissions";
import { forbidden } from "@/lib/errors";
import { listAgents } from "@/lib/integrations/phantombuster/agents";
import { phantomBusterClientForWorkspace } from "@/lib/integrations/phantombuster/client-for-account";
import type { PhantomAgent } from "@/lib/integrations/phantombuster/schemas";
import type { ImportActor } from "../control-import";

/**
 * What the PhantomBuster import page shows of an agent: never its argument, which holds the
 * LinkedIn session cookie the agent runs with.
 */
export type AgentRow = {
  id: string;
  name: string;
  script: string | null;
  lastRun: "never" | "running" | "succeeded" | "failed";
  lastEndedAt: number | null;
};

export function agentRow(agent: PhantomAgent): AgentRow {
  const running = (agent.nbContainersRunning ?? 0) > 0;
  const ended = agent.lastEndedAt != null || agent.lastEndType != null || agent.lastExitCode != null;
  const succeeded = (agent.lastEndType == null || agent.lastEndType === "finished") && agent.lastExitCode === 0;
  return {
    id: agent.id,
    name: agent.name?.trim() || `Agent ${agent.id}`,
    script: agent.script?.replace(/\.js$/, "") ?? null,
    lastRun: running ? "running" : !ended ? "never" : succeeded ? "succeeded" : "failed",
    lastEndedAt: agent.lastEndedAt ?? null,
  };
}

/**
 * The workspace's PhantomBuster agents, for someone who may import. The key is opened in the
 * person's transaction; PhantomBuster is asked after it (`tx` is not held for the call).
 * `sandbox`: the agents are the sandbox's sample agents, and the page says so.
 */
export async function openAgentList(tx: Database, actor: ImportActor): Promise<{ sandbox: boolean; load: () => Promise<AgentRow[]> }> {
  if (!can(actor.role, "imports.run")) throw forbidden("Your role can read leads but not import them.");
  const { client, sandbox } = await phantomBusterClientForWorkspace(tx, actor);
  return { sandbox, load: async () => (await listAgents(client)).map(agentRow) };
}
