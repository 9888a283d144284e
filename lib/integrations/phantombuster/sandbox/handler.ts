import "server-only";
import { z } from "zod";
import { env, integrationsSandboxEnabled } from "@/lib/env";
import { sandboxKeyWorkspace } from "@/lib/integrations/sandbox/sandbox-key";
import { addNumberedSandboxState, listSandboxState, trimSandboxState, type SandboxScope } from "@/lib/integrations/sandbox/state";
import { phantomBusterSandboxUrls } from "./base-url";
import { sampleAgent, SAMPLE_AGENTS, type SampleAgent } from "./sample-agents";
import { readBodyCapped } from "@/lib/security/read-body-capped";

/**
 * The PhantomBuster sandbox (DESIGN.md §4): the part of API v2 the client calls
 * (vendors/apollo-phantombuster-openai.md §2.2) in its shapes — agents fetch-all (a bare array,
 * no `orgS3Folder`), fetch, fetch-output, launch (`{ containerId }`), containers fetch (with the
 * result object as a JSON string when asked), fetch-output, fetch-result-object — and the S3
 * bucket with the agents' result files (a missing object as S3's 403 AccessDenied XML), over
 * the sample agents. The API answers only a sandbox key this server minted; the files, like
 * S3's, are addressed by folder, the organisation's folder naming the workspace. Nothing at all
 * (404) where the sandbox is off: in production unless enabled.
 *
 * A launched run is `running` for RUN_MS, then ends as its agent's runs end; runs that ended
 * well add to the agent's result file. Launches are kept per workspace in PostgreSQL
 * (sandbox/state.ts): a restart of the app keeps them, and every app process serves the same
 * sandbox; their container ids come from the store, so two processes never hand out the same.
 */
export const SANDBOX_RUN_MS = 3_000;

type Launch = { containerId: string; agentId: string; launchedAt: number };
type Container = { id: string; agent: SampleAgent; launchedAt: number; endedAt: number | null };
/** A workspace's sandbox and the launches made in it, oldest first. */
type Sandbox = { workspace: string; launches: Launch[] };

const MAX_LAUNCHES_PER_WORKSPACE = 500;
/** A launch's body is a few dozen bytes: an agent id and its arguments. */
const MAX_BODY = 64 * 1024;
const FIRST_CONTAINER = 7_320_000_000_000_000;
const scopeOf = (workspace: string): SandboxScope => ({ workspace, vendor: "phantombuster" });
const loadSandbox = async (workspace: string): Promise<Sandbox> => ({
  workspace,
  launches: await listSandboxState<Launch>(scopeOf(workspace), "launch"),
});

const ZLaunch = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) });

const json = (status: number, body: unknown) => Response.json(body, { status });
const notFound = (what: string) => json(404, { status: "error", error: `${what} not found` });
const accessDenied = () =>
  new Response('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', {
    status: 403,
    headers: { "content-type": "application/xml" },
  });

export async function handlePhantomBusterSandboxRequest(request: Request, pathname: string, now = Date.now()): Promise<Response> {
  const e = env();
  if (!integrationsSandboxEnabled(e)) return new Response("Not Found", { status: 404 });
  if (pathname.startsWith("/s3/")) return request.method === "GET" ? await resultFile(pathname.slice(4), now) : accessDenied();

  const key = request.headers.get("x-phantombuster-key") ?? request.headers.get("x-phantombuster-key-1");
  const workspace = sandboxKeyWorkspace(key, "phantombuster", e.ENCRYPTION_KEY);
  if (!workspace) return json(401, { status: "error", message: "Invalid API key" });
  const url = new URL(request.url);
  const id = url.searchParams.get("id") ?? undefined;
  const route = `${request.method} ${pathname.replace(/^\/api\/v2(?=\/)/, "")}`;
  const sandbox = await loadSandbox(workspace);

  switch (route) {
    case "GET /agents/fetch-all":
      return json(
        200,
        SAMPLE_AGENTS.map((agent) => agentJson(sandbox, agent, now, false)),
      );
    case "GET /agents/fetch": {
      const agent = sampleAgent(id);
      return agent ? json(200, agentJson(sandbox, agent, now, true)) : notFound("Agent");
    }
    case "GET /agents/fetch-output": {
      const agent = sampleAgent(id);
      if (!agent) return notFound("Agent");
      const latest = latestContainer(sandbox, agent);
      if (!latest) return json(200, { containerId: null, status: "never launched", output: null, isAgentRunning: false, sampleData: true });
      const running = latest.endedAt === null || latest.endedAt > now;
      return json(200, {
        containerId: latest.id,
        status: running ? "running" : "finished",
        output: outputOf(latest, now),
        outputPos: outputOf(latest, now).length,
        mostRecentEndedAt: running ? null : latest.endedAt,
        progress: running ? 0.5 : 1,
        progressLabel: running ? "Scraping sample profiles" : null,
        isAgentRunning: running,
        canSoftAbort: running,
        runtimeEvents: [],
        sampleData: true,
      });
    }
    case "POST /agents/launch": {
      const text = await readBodyCapped(request, MAX_BODY);
      if (text === null) return json(413, { status: "error", error: "The request body is too large." });
      let body: unknown;
      try {
        body = JSON.parse(text || "{}");
      } catch {
        return json(400, { status: "error", error: "Invalid JSON body" });
      }
      const parsed = ZLaunch.safeParse(body);
      const agent = parsed.success ? sampleAgent(parsed.data.id) : undefined;
      if (!agent) return json(400, { status: "error", error: "Agent not found" });
      const containerId = await addNumberedSandboxState(scopeOf(workspace), "launch", FIRST_CONTAINER, (id) => ({
        containerId: id,
        agentId: agent.id,
        launchedAt: now,
      }));
      if (!containerId) return json(401, { status: "error", message: "Invalid API key" });
      await trimSandboxState(scopeOf(workspace), "launch", MAX_LAUNCHES_PER_WORKSPACE);
      return json(200, { containerId });
    }
    case "GET /containers/fetch": {
      const container = findContainer(sandbox, id);
      if (!container) return notFound("Container");
      const running = container.endedAt === null || container.endedAt > now;
      const ended = running ? {} : { exitCode: container.agent.outcome.exitCode, endType: container.agent.outcome.endType };
      return json(200, {
        id: container.id,
        agentId: container.agent.id,
        status: running ? "running" : "finished",
        createdAt: container.launchedAt,
        launchedAt: container.launchedAt,
        launchType: container.launchedAt === container.endedAt ? "manual" : "user api call",
        retryNumber: 0,
        ...ended,
        ...(running ? {} : { endedAt: container.endedAt, exitMessage: container.agent.outcome.exitMessage }),
        ...(url.searchParams.get("withOutput") === "true" ? { output: outputOf(container, now) } : {}),
        ...(url.searchParams.get("withResultObject") === "true" ? { resultObject: resultObjectOf(workspace, container, now) } : {}),
        sampleData: true,
      });
    }
    case "GET /containers/fetch-output": {
      const container = findContainer(sandbox, id);
      return container ? json(200, { output: outputOf(container, now) }) : notFound("Container");
    }
    case "GET /containers/fetch-result-object": {
      const container = findContainer(sandbox, id);
      return container ? json(200, { resultObject: resultObjectOf(workspace, container, now) }) : notFound("Container");
    }
  }
  return json(404, { status: "error", error: `No route ${route}` });
}

const orgFolder = (workspace: string) => `sandbox-${workspace}`;

function agentJson(sandbox: Sandbox, agent: SampleAgent, now: number, withOrgFolder: boolean) {
  const latest = latestContainer(sandbox, agent);
  const running = latest !== null && (latest.endedAt === null || latest.endedAt > now);
  const ended = latest && !running ? latest : null;
  return {
    id: agent.id,
    name: agent.name,
    script: agent.script,
    scriptId: agent.scriptId,
    scriptOrgName: "phantombuster",
    branch: "master",
    environment: "release",
    launchType: "manually",
    s3Folder: agent.s3Folder,
    ...(withOrgFolder
      ? {
          orgS3Folder: orgFolder(sandbox.workspace),
          nbLaunches: (agent.initialRun ? 1 : 0) + sandbox.launches.filter((l) => l.agentId === agent.id).length,
          fileMgmt: "mix",
          updatedAt: agent.initialRun?.endedAt ?? 0,
        }
      : {}),
    argument: agent.argument,
    lastEndType: ended ? agent.outcome.endType : null,
    lastEndedAt: ended?.endedAt ?? null,
    lastExitCode: ended ? agent.outcome.exitCode : null,
    nbContainersRunning: running ? 1 : 0,
    sampleData: true,
  };
}

function containersOf(sandbox: Sandbox, agent: SampleAgent): Container[] {
  const initial = agent.initialRun
    ? [
        {
          id: `731000000000000${SAMPLE_AGENTS.indexOf(agent) + 1}`,
          agent,
          launchedAt: agent.initialRun.endedAt,
          endedAt: agent.initialRun.endedAt,
        },
      ]
    : [];
  const launched = sandbox.launches
    .filter((l) => l.agentId === agent.id)
    .map((l) => ({ id: l.containerId, agent, launchedAt: l.launchedAt, endedAt: l.launchedAt + SANDBOX_RUN_MS }));
  return [...initial, ...launched];
}

const latestContainer = (sandbox: Sandbox, agent: SampleAgent) => containersOf(sandbox, agent).at(-1) ?? null;

function findContainer(sandbox: Sandbox, id: string | undefined): Container | undefined {
  if (!id) return undefined;
  for (const agent of SAMPLE_AGENTS) {
    const found = containersOf(sandbox, agent).find((c) => c.id === id);
    if (found) return found;
  }
  return undefined;
}

/** The sandbox's launches of the agent that ended well by `now` (the initial run is the files' starting point). */
function finishedRuns(sandbox: Sandbox, agent: SampleAgent, now: number): number {
  if (agent.outcome.exitCode !== 0) return 0;
  return sandbox.launches.filter((l) => l.agentId === agent.id && l.launchedAt + SANDBOX_RUN_MS <= now).length;
}

function outputOf(container: Container, now: number): string {
  const lines = [`Sample run of “${container.agent.name}” in the sandbox of Lead Intelligence Panel.`, "Opening sample LinkedIn searches…"];
  if (container.endedAt !== null && container.endedAt <= now) {
    const { exitCode, exitMessage } = container.agent.outcome;
    lines.push(exitCode === 0 ? `Saved ${container.agent.csvName}.csv` : `Error: ${exitMessage ?? "the run failed"}`);
    lines.push(`Process finished with exit code ${exitCode}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `{ csvURL, jsonUrl }` for the agents whose phantom sets them, as PhantomBuster sends it: a JSON string. */
function resultObjectOf(workspace: string, container: Container, now: number): string | null {
  const { agent } = container;
  if (!agent.resultObjectUrls || container.endedAt === null || container.endedAt > now || agent.outcome.exitCode !== 0) return null;
  const folder = `${phantomBusterSandboxUrls().s3Url}/${orgFolder(workspace)}/${agent.s3Folder}`;
  return JSON.stringify({ csvURL: `${folder}/${agent.csvName}.csv`, jsonUrl: `${folder}/${agent.csvName}.json`, sampleData: true });
}

async function resultFile(path: string, now: number): Promise<Response> {
  let parts: string[];
  try {
    parts = path.split("/").map(decodeURIComponent);
  } catch {
    return accessDenied();
  }
  const [org, folder, file, ...rest] = parts;
  const workspace = /^sandbox-([0-9a-f]{32})$/.exec(org ?? "")?.[1];
  const agent = SAMPLE_AGENTS.find((a) => a.s3Folder === folder);
  if (!workspace || !agent || !file || rest.length) return accessDenied();
  const sandbox = await loadSandbox(workspace);
  const hasRun = agent.initialRun !== null || finishedRuns(sandbox, agent, now) > 0;
  const content = hasRun ? agent.files(finishedRuns(sandbox, agent, now))?.[file] : undefined;
  if (content === undefined) return accessDenied();
  return new Response(content, {
    status: 200,
    headers: {
      "content-type": file.endsWith(".json") ? "application/json" : "text/csv",
      "content-length": String(Buffer.byteLength(content)),
    },
  });
}
