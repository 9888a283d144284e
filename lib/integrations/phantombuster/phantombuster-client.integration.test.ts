import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { fetchAgent, fetchAgentOutput, fetchContainer, launchAgent, listAgents, runOutcome } from "./agents";
import { createPhantomBusterClient, type PhantomBusterClientConfig } from "./client";
import { checkPhantomBusterKey } from "./key-check";
import { csvNameOf, openResultFile, resultFileBase, resultObjectFiles } from "./result-file";
import { startFakePhantomBuster, type FakePhantomBuster } from "./testing/fake-phantombuster";

const KEY = "pb-key-0001";
let fake: FakePhantomBuster;
let slept: number[];

function client(apiKey = KEY, overrides: Partial<PhantomBusterClientConfig> = {}) {
  return createPhantomBusterClient({
    apiKey,
    baseUrl: fake.url,
    s3Url: fake.s3Url,
    policy: { retries: 3, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 60_000, timeoutMs: 1_000 },
    sleep: async (ms) => void slept.push(ms),
    ...overrides,
  });
}

async function refusalOf(work: Promise<unknown>): Promise<VendorError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError;
}

const reset = () => {
  fake.requests.length = 0;
  slept = [];
};

beforeAll(async () => {
  fake = await startFakePhantomBuster({
    keys: [KEY],
    agents: [
      { id: "1001", name: "Sales Nav search", orgS3Folder: "org1", s3Folder: "folderA", files: { "result.csv": "a,b\n1,2\n" } },
      {
        id: "1002",
        name: "Profile scraper",
        orgS3Folder: "org1",
        s3Folder: "folderB",
        argument: '{"csvName":"profiles"}',
        files: { "profiles.json": '[{"a":1}]' },
      },
      { id: "1003", name: "Never ran", orgS3Folder: "org1", s3Folder: "folderC", files: {} },
    ],
  });
});
afterAll(() => fake.close());

describe("the PhantomBuster client", () => {
  it("checks a key with the list of agents, in X-Phantombuster-Key with a descriptive User-Agent, and names a wrong key", async () => {
    reset();
    await checkPhantomBusterKey(client());
    expect(fake.requests).toEqual([expect.objectContaining({ method: "GET", path: "/agents/fetch-all", apiKey: KEY })]);
    expect(fake.requests[0]!.userAgent).toMatch(/^LeadIntelligencePanel\/.+PhantomBuster API v2 client/);

    const wrong = await refusalOf(checkPhantomBusterKey(client("not-a-key")));
    expect(wrong.kind).toBe("unauthorized");
    expect(wrong.message).toBe(
      "PhantomBuster refused the API key (“Invalid API key”). Copy the key from PhantomBuster (Workspace settings → API keys) and save it here.",
    );
  });

  it("lists agents with ids as strings, keeping fields it does not read", async () => {
    fake.fail({ path: "/agents/fetch-all", status: 200, body: JSON.stringify([{ id: 42, name: "Numeric id", mystery: [1] }]) });
    const [numeric] = await listAgents(client());
    expect(numeric).toEqual({ id: "42", name: "Numeric id", mystery: [1] });
    const agents = await listAgents(client());
    expect(agents.map((a) => a.id)).toEqual(["1001", "1002", "1003"]);
    expect(agents[0]).toMatchObject({ aFieldFromTheFuture: { kept: true } });
  });

  it("refuses an answer of the wrong shape, naming the field, and an unknown agent in PhantomBuster's words", async () => {
    fake.fail({
      path: "/agents/fetch-all",
      status: 200,
      body: JSON.stringify([{ name: "no id", argument: '{"sessionCookie":"AQEDAR"}' }]),
    });
    const shape = await refusalOf(listAgents(client()));
    expect(shape.kind).toBe("invalid_response");
    expect(shape.message).toMatch(/^PhantomBuster's list of agents answer did not have the expected shape at 0\.id/);
    // What is kept for the admin holds no LinkedIn session cookie.
    expect(shape.details.body).toEqual([{ name: "no id", argument: "[removed]" }]);
    const missing = await refusalOf(fetchAgent(client(), "999"));
    expect(missing).toMatchObject({ kind: "rejected", message: "PhantomBuster does not know that agent (“Agent not found”)." });
  });

  it("finds the result file in the agent's S3 folders, CSV first, then JSON, without sending the key there", async () => {
    reset();
    const agent = await fetchAgent(client(), "1001");
    const csv = await openResultFile(client(), agent);
    expect(csv).toMatchObject({ format: "csv", fileName: "result.csv" });
    expect(await csv!.response.text()).toBe("a,b\n1,2\n");
    const s3 = fake.requests.filter((r) => r.path.startsWith("/s3/"));
    expect(s3.map((r) => r.path)).toEqual(["/s3/org1/folderA/result.csv"]);
    expect(s3.every((r) => r.apiKey === null)).toBe(true);

    const json = await openResultFile(client(), await fetchAgent(client(), "1002"));
    expect(json).toMatchObject({ format: "json", fileName: "profiles.json" });
    expect(await json!.response.text()).toBe('[{"a":1}]');
    // S3 answers 403 AccessDenied for an object that is not there; a 404 means the same.
    expect(await openResultFile(client(), await fetchAgent(client(), "1003"))).toBeNull();
    fake.fail({ path: "/s3/org1/folderA/result.csv", status: 404 }, { path: "/s3/org1/folderA/result.json", status: 404 });
    expect(await openResultFile(client(), agent)).toBeNull();
  });

  it("reads the file name from the argument, and refuses folders that could leave the bucket path", () => {
    expect(csvNameOf('{"csvName":"leads-nov"}')).toBe("leads-nov");
    expect(csvNameOf({ csvName: "from-object" })).toBe("from-object");
    expect(csvNameOf('{"sessionCookie":"x"}')).toBe("result");
    expect(csvNameOf("not json")).toBe("result");
    expect(csvNameOf('{"csvName":"../../other"}')).toBe("result");
    expect(() => resultFileBase({ orgS3Folder: "..", s3Folder: "x" })).toThrow(/S3 folders are missing/);
    expect(() => resultFileBase({ orgS3Folder: "org", s3Folder: null })).toThrow(VendorError);
  });

  it("takes the files a run's result object names, as a JSON string or an object, only under the S3 base, before the folders", async () => {
    const s3 = fake.s3Url;
    const named = { csvURL: `${s3}/org1/folderA/result.csv`, jsonUrl: `${s3}/org1/folderA/result.json` };
    const expected = [
      { format: "csv", path: "org1/folderA/result.csv", fileName: "result.csv" },
      { format: "json", path: "org1/folderA/result.json", fileName: "result.json" },
    ];
    expect(resultObjectFiles(s3, { resultObject: JSON.stringify(named) })).toEqual(expected);
    expect(resultObjectFiles(s3, { resultObject: { csvUrl: named.csvURL, jsonURL: named.jsonUrl } })).toEqual(expected);
    for (const resultObject of [null, undefined, "not json", "[1]", { csvURL: 42 }])
      expect(resultObjectFiles(s3, { resultObject })).toEqual([]);
    // Another host, a path outside the base, a climb out of it: never downloaded.
    expect(
      resultObjectFiles(s3, {
        resultObject: { csvURL: "https://attacker.example/org1/folderA/result.csv", jsonUrl: `${s3}/../elsewhere/org1/x.json` },
      }),
    ).toEqual([]);
    expect(resultObjectFiles(s3, { resultObject: { csvURL: `${s3}/org1/%2E%2E/result.csv` } })).toEqual([]);

    reset();
    const agent = await fetchAgent(client(), "1002");
    const file = await openResultFile(client(), agent, { resultObject: JSON.stringify({ csvURL: `${s3}/org1/folderA/result.csv` }) });
    expect(file).toMatchObject({ format: "csv", fileName: "result.csv" });
    expect(await file!.response.text()).toBe("a,b\n1,2\n");
  });

  it("launches an agent and polls its container until it finishes", async () => {
    fake.agents.get("1001")!.pollsToFinish = 2;
    const { containerId } = await launchAgent(client(), "1001");
    expect(containerId).toMatch(/^\d+$/);
    expect(fake.requests.at(-1)).toMatchObject({ method: "POST", path: "/agents/launch", body: { id: "1001", manualLaunch: true } });
    const states = [];
    for (let i = 0; i < 3; i++) states.push(runOutcome(await fetchContainer(client(), containerId!)).state);
    expect(states).toEqual(["running", "running", "succeeded"]);
    expect(await fetchAgentOutput(client(), "1001")).toMatchObject({ containerId, status: "finished" });
    expect((await fetchAgentOutput(client(), "1003")).status).toBe("never launched");
  });

  it("reports a failed run with PhantomBuster's reason, and accepts a launch answer without a body", async () => {
    const agent = fake.agents.get("1003")!;
    agent.outcome = { exitCode: 1, exitMessage: "Can't connect to LinkedIn with this session cookie" };
    fake.launchWithoutBody = true;
    try {
      expect(await launchAgent(client(), "1003")).toEqual({ containerId: null });
    } finally {
      fake.launchWithoutBody = false;
    }
    const { containerId } = await fetchAgentOutput(client(), "1003");
    expect(runOutcome(await fetchContainer(client(), containerId!))).toEqual({
      state: "failed",
      reason: "The agent's run failed: it exited with code 1. PhantomBuster said: “Can't connect to LinkedIn with this session cookie”.",
    });
    expect(runOutcome({ status: "finished", exitCode: null, endType: "org timeout" })).toEqual({
      state: "failed",
      reason: "The agent's run failed: the workspace ran out of execution time.",
    });
  });

  it("waits out a 429 after Retry-After and retries a 5xx on reads, but never repeats a launch", async () => {
    reset();
    fake.fail({ path: "/agents/fetch-all", status: 429, headers: { "retry-after": "3" } }, { path: "/agents/fetch-all", status: 503 });
    expect(await listAgents(client())).toHaveLength(3);
    expect(fake.requests.filter((r) => r.path === "/agents/fetch-all")).toHaveLength(3);
    expect(slept[0]).toBe(3000);

    reset();
    fake.fail({ path: "/agents/launch", status: 502 });
    const down = await refusalOf(launchAgent(client(), "1001"));
    expect(down.kind).toBe("unavailable");
    expect(fake.requests.filter((r) => r.path === "/agents/launch")).toHaveLength(1);
  });
});
