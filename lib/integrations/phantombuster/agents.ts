import { z } from "zod";
import type { PhantomBusterClient } from "./client";
import {
  ZPhantomAgent,
  ZPhantomAgentList,
  ZPhantomAgentOutput,
  ZPhantomContainer,
  ZPhantomLaunch,
  type PhantomAgent,
  type PhantomAgentOutput,
  type PhantomContainer,
} from "./schemas";

/** The agent endpoints a lead import uses (vendors/apollo-phantombuster-openai.md §2.2). */

/** PhantomBuster's ids are numeric strings; anything else never reaches a URL. */
export const ZPhantomId = z
  .string({ message: "Choose a PhantomBuster agent." })
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "That is not a PhantomBuster agent id.");

export async function listAgents(client: PhantomBusterClient): Promise<PhantomAgent[]> {
  return client.call({ method: "GET", path: "/agents/fetch-all", name: "list of agents" }, {}, ZPhantomAgentList);
}

/** One agent with its S3 folders (`orgS3Folder` is only here, not in the list). */
export async function fetchAgent(client: PhantomBusterClient, agentId: string): Promise<PhantomAgent> {
  return client.call({ method: "GET", path: "/agents/fetch", name: "agent" }, { query: { id: agentId } }, ZPhantomAgent);
}

/** The agent's latest container and its status (`never launched` when it never ran). */
export async function fetchAgentOutput(client: PhantomBusterClient, agentId: string): Promise<PhantomAgentOutput> {
  return client.call({ method: "GET", path: "/agents/fetch-output", name: "agent" }, { query: { id: agentId } }, ZPhantomAgentOutput);
}

/** A run (container); `withResultObject` asks for what the phantom set as its result object too. */
export async function fetchContainer(
  client: PhantomBusterClient,
  containerId: string,
  { withResultObject = false }: { withResultObject?: boolean } = {},
): Promise<PhantomContainer> {
  return client.call(
    { method: "GET", path: "/containers/fetch", name: "run" },
    { query: { id: containerId, withResultObject: withResultObject || undefined } },
    ZPhantomContainer,
  );
}

/** Launches the agent with its saved argument; the container id when PhantomBuster sends one. */
export async function launchAgent(client: PhantomBusterClient, agentId: string): Promise<{ containerId: string | null }> {
  const { containerId } = await client.call(
    { method: "POST", path: "/agents/launch", name: "agent" },
    { body: { id: agentId, manualLaunch: true } },
    ZPhantomLaunch,
  );
  return { containerId };
}

export type RunOutcome = { state: "running" } | { state: "succeeded" } | { state: "failed"; reason: string };

const END_TYPES: Record<string, string> = {
  killed: "it was stopped",
  "global timeout": "it ran past PhantomBuster's time limit",
  "org timeout": "the workspace ran out of execution time",
  "agent timeout": "it ran past the agent's time limit",
  "no log timeout": "it stopped writing its log and was stopped",
  unknown: "it ended for a reason PhantomBuster does not know",
};

/**
 * A run succeeded when it finished with exit code 0 (and `endType` finished, when given); it
 * failed when it ended otherwise, in PhantomBuster's words where it gave some.
 */
export function runOutcome(container: Pick<PhantomContainer, "status" | "exitCode" | "endType" | "exitMessage">): RunOutcome {
  const { status, exitCode, endType } = container;
  if (status !== "finished" && !endType && exitCode == null) return { state: "running" };
  if ((endType == null || endType === "finished") && exitCode === 0) return { state: "succeeded" };
  const why =
    endType && endType !== "finished" ? (END_TYPES[endType] ?? `it ended as “${endType}”`) : `it exited with code ${exitCode ?? "unknown"}`;
  const said = container.exitMessage?.trim() ? ` PhantomBuster said: “${container.exitMessage.trim().slice(0, 300)}”.` : "";
  return { state: "failed", reason: `The agent's run failed: ${why}.${said}` };
}
