import { serveWebHandler } from "../../../../tests/serve-web-handler";

/**
 * A local stand-in for PhantomBuster as documented (vendors/apollo-phantombuster-openai.md §2):
 * API v2 under /api/v2 with the key in `X-Phantombuster-Key` (or the legacy
 * `X-Phantombuster-Key-1`, which clients still send), `GET /agents/fetch-all` (a bare array,
 * no `orgS3Folder`), `GET /agents/fetch`, `GET /agents/fetch-output` (the latest container,
 * `never launched` before any run), `POST /agents/launch` (`{ containerId }`, or no body when
 * asked: the swagger documents none), `GET /containers/fetch`; and the S3 bucket under /s3
 * serving `{orgS3Folder}/{s3Folder}/{file}`, a missing object as S3's 403 AccessDenied XML.
 * A launched run stays `running` for `pollsToFinish` container reads, then ends with the
 * agent's `outcome` and writes its `nextFiles`. Tests queue faults and read what was asked.
 */
export type FakePhantomFault = { path?: string } & (
  { status: number; headers?: Record<string, string>; body?: string } | { hangMs: number }
);

export type FakePhantomRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  apiKey: string | null;
  userAgent: string | null;
  body: Record<string, unknown> | null;
};

export type FakeContainer = {
  id: string;
  agentId: string;
  status: "running" | "finished";
  exitCode: number | null;
  endType: string | null;
  exitMessage: string | null;
  launchedAt: number;
  endedAt: number | null;
  reads: number;
};

export type FakeAgent = {
  id: string;
  name: string;
  script?: string;
  orgS3Folder: string;
  s3Folder: string;
  /** The saved argument, a JSON string as the swagger has it. */
  argument?: string;
  /** Result files by name (`result.csv`, `result.json`). */
  files: Record<string, string>;
  /** How the next launched run ends, after `pollsToFinish` reads of its container. */
  outcome?: { exitCode: number; endType?: string; exitMessage?: string };
  pollsToFinish?: number;
  /** What the next run writes when it ends well (replacing those files). */
  nextFiles?: Record<string, string>;
};

export type FakePhantomBuster = {
  /** As PHANTOMBUSTER_API_URL takes it (…/api/v2). */
  url: string;
  /** As PHANTOMBUSTER_S3_URL takes it. */
  s3Url: string;
  requests: FakePhantomRequest[];
  agents: Map<string, FakeAgent>;
  containers: Map<string, FakeContainer>;
  /** Launch answers carry no body (the swagger documents none). */
  launchWithoutBody: boolean;
  fail: (...faults: FakePhantomFault[]) => void;
  close: () => Promise<void>;
};

const PREFIX = "/api/v2";
const S3 = "/s3";
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const accessDenied = () =>
  new Response('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', {
    status: 403,
    headers: { "content-type": "application/xml" },
  });

export async function startFakePhantomBuster(options: { keys: string[]; agents?: FakeAgent[]; port?: number }): Promise<FakePhantomBuster> {
  const keys = new Set(options.keys);
  const requests: FakePhantomRequest[] = [];
  const faults: FakePhantomFault[] = [];
  const agents = new Map((options.agents ?? []).map((a) => [a.id, a]));
  const containers = new Map<string, FakeContainer>();
  let nextContainer = 7_000_000_000_000_000;
  const fake = { launchWithoutBody: false };

  const latestOf = (agentId: string) => [...containers.values()].filter((c) => c.agentId === agentId).at(-1);
  const advance = (container: FakeContainer) => {
    container.reads++;
    const agent = agents.get(container.agentId)!;
    if (container.status === "running" && container.reads > (agent.pollsToFinish ?? 0)) {
      const outcome = agent.outcome ?? { exitCode: 0 };
      Object.assign(container, {
        status: "finished",
        exitCode: outcome.exitCode,
        endType: outcome.endType ?? "finished",
        exitMessage: outcome.exitMessage ?? null,
        endedAt: Date.now(),
      });
      if (outcome.exitCode === 0 && agent.nextFiles) agent.files = { ...agent.files, ...agent.nextFiles };
    }
  };
  const agentJson = (agent: FakeAgent, withOrgFolder: boolean) => {
    const last = latestOf(agent.id);
    return {
      id: agent.id,
      name: agent.name,
      script: agent.script ?? "LinkedIn Search Export.js",
      scriptId: 3149,
      launchType: "manually",
      s3Folder: agent.s3Folder,
      ...(withOrgFolder ? { orgS3Folder: agent.orgS3Folder, nbLaunches: containers.size, fileMgmt: "mix", updatedAt: Date.now() } : {}),
      argument: agent.argument ?? '{"sessionCookie":"AQEDAR-secret","csvName":"result"}',
      lastEndType: last?.endType ?? null,
      lastEndedAt: last?.endedAt ?? null,
      lastExitCode: last?.exitCode ?? null,
      nbContainersRunning: last?.status === "running" ? 1 : 0,
      aFieldFromTheFuture: { kept: true },
    };
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    const query = Object.fromEntries(url.searchParams);
    const apiKey = request.headers.get("x-phantombuster-key") ?? request.headers.get("x-phantombuster-key-1");
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    requests.push({ method: request.method, path, query, apiKey, userAgent: request.headers.get("user-agent"), body });

    const faultAt = faults.findIndex((f) => !f.path || f.path === path);
    if (faultAt >= 0) {
      const [fault] = faults.splice(faultAt, 1);
      if ("hangMs" in fault!) {
        await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
        return json(200, []);
      }
      return new Response(fault!.body ?? "", { status: fault!.status, headers: fault!.headers });
    }

    if (url.pathname.startsWith(`${S3}/`)) {
      const [org, folder, file] = url.pathname
        .slice(S3.length + 1)
        .split("/")
        .map(decodeURIComponent);
      const agent = [...agents.values()].find((a) => a.orgS3Folder === org && a.s3Folder === folder);
      const content = file === undefined ? undefined : agent?.files[file];
      if (request.method !== "GET" || content === undefined) return accessDenied();
      const type = file!.endsWith(".json") ? "application/json" : "text/csv";
      return new Response(content, { status: 200, headers: { "content-type": type } });
    }

    if (!apiKey || !keys.has(apiKey)) return json(401, { status: "error", message: "Invalid API key" });
    const agent = query.id ? agents.get(query.id) : undefined;
    const route = `${request.method} ${path}`;
    switch (route) {
      case "GET /agents/fetch-all":
        return json(
          200,
          [...agents.values()].map((a) => agentJson(a, false)),
        );
      case "GET /agents/fetch":
        return agent ? json(200, agentJson(agent, true)) : json(404, { error: "Agent not found" });
      case "GET /agents/fetch-output": {
        if (!agent) return json(404, { error: "Agent not found" });
        const last = latestOf(agent.id);
        if (!last) return json(200, { containerId: null, status: "never launched", output: null, isAgentRunning: false });
        return json(200, {
          containerId: last.id,
          status: last.status,
          output: "Launching…\n",
          outputPos: 11,
          mostRecentEndedAt: last.endedAt,
          isAgentRunning: last.status === "running",
          canSoftAbort: false,
          runtimeEvents: [],
        });
      }
      case "POST /agents/launch": {
        const launched = typeof body?.id === "string" ? agents.get(body.id) : undefined;
        if (!launched) return json(400, { error: "Agent not found" });
        const id = String(nextContainer++);
        containers.set(id, {
          id,
          agentId: launched.id,
          status: "running",
          exitCode: null,
          endType: null,
          exitMessage: null,
          launchedAt: Date.now(),
          endedAt: null,
          reads: 0,
        });
        return fake.launchWithoutBody ? new Response(null, { status: 200 }) : json(200, { containerId: id });
      }
      case "GET /containers/fetch": {
        const container = query.id ? containers.get(query.id) : undefined;
        if (!container) return json(404, { error: "Container not found" });
        advance(container);
        const { reads: _reads, agentId, ...shown } = container;
        return json(200, { ...shown, agentId, launchType: "user api call", createdAt: container.launchedAt, retryNumber: 0 });
      }
    }
    return json(404, { error: `No route ${route}` });
  }

  const served = await serveWebHandler(handle, options.port);
  return Object.assign(fake, {
    url: `${served.url}${PREFIX}`,
    s3Url: `${served.url}${S3}`,
    requests,
    agents,
    containers,
    fail: (...more: FakePhantomFault[]) => void faults.push(...more),
    close: served.close,
  });
}
