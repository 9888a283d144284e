import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serviceDb } from "@/db";
import { leadImports, leads } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { requestAgentLaunch } from "@/lib/imports/phantombuster/launch-and-import";
import { connectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { startFakePhantomBuster } from "@/lib/integrations/phantombuster/testing/fake-phantombuster";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { launchPhantomBusterAgentFunction, POLL_WAITS, recordFailedLaunch } from "./launch-phantombuster-agent";
import { listLeadImports } from "@/lib/imports/list-lead-imports";

const KEY = "pb-launch-key-0077";
const HEADER = "profileUrl,fullName,firstName,lastName,headline,additionalInfo,location,connectionDegree,vmid,query,job,company";
const row = (n: number) =>
  `https://www.linkedin.com/in/sam-${n}-launch,Sam ${n},Sam,Launch${n},Founder at X,,Lyon,2nd,v${n},q,Founder,X${n}`;

const fake = await startFakePhantomBuster({
  keys: [KEY],
  agents: [
    {
      id: "4001",
      name: "Search export",
      orgS3Folder: "org-l",
      s3Folder: "search",
      files: {},
      pollsToFinish: 2,
      // The run writes the file when it finishes: before, there is nothing to import.
      nextFiles: { "result.csv": [HEADER, row(1), row(2), row(3)].join("\n") },
    },
    {
      id: "4003",
      name: "Launched twice",
      orgS3Folder: "org-l",
      s3Folder: "twice",
      files: {},
      pollsToFinish: 1,
      nextFiles: { "result.csv": [HEADER, row(21)].join("\n") },
    },
    {
      id: "4002",
      name: "Cookie expired",
      orgS3Folder: "org-l",
      s3Folder: "failing",
      files: { "result.csv": `${HEADER}\n${row(9)}` },
      pollsToFinish: 1,
      outcome: { exitCode: 1, exitMessage: "Can't connect to LinkedIn with this session cookie" },
    },
  ],
});
process.env.PHANTOMBUSTER_API_URL = fake.url;
process.env.PHANTOMBUSTER_S3_URL = fake.s3Url;

let fx: TenancyFixture;
let accountId: string;

beforeAll(async () => {
  fx = await createTenancyFixture();
  const admin = fx.a.members.admin;
  const account = await asUser(admin, (tx) =>
    connectIntegrationAccount(tx, { workspaceId: fx.a.id, userId: admin.id, role: admin.role }, { vendor: "phantombuster", apiKey: KEY }),
  );
  accountId = account.id;
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});

/**
 * Runs the function with its durable sleeps passed at once (they never resolve in the test engine
 * otherwise); `duringWait` runs in place of the first sleep.
 */
async function launch(agentId: string, duringWait?: () => Promise<void>) {
  const engine = new InngestTestEngine({
    function: launchPhantomBusterAgentFunction,
    events: [
      {
        name: "integrations/phantombuster-launch.requested",
        data: { workspaceId: fx.a.id, accountId, agentId, requestedBy: fx.a.members.sales_rep.id },
      } as EventPayload,
    ],
    steps: POLL_WAITS.map((_, i) => ({ id: `wait-${i}`, handler: i === 0 && duringWait ? duringWait : () => undefined })),
  });
  return (await engine.execute()) as { result?: { importId: string; status: string; presetLabel: string }; error?: Error };
}

const importCount = async () =>
  (await serviceDb().execute<{ n: number }>(sql`select count(*)::int n from lead_imports where workspace_id = ${fx.a.id}`))[0]!.n;

describe("launching a PhantomBuster agent and importing its result when the run finishes", () => {
  it("launches once, polls the run until it finishes, then imports the result with the PhantomBuster preset", async () => {
    fake.requests.length = 0;
    const { result, error } = await launch("4001");
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: "queued", presetLabel: "PhantomBuster LinkedIn search export" });
    const calls = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls.filter((c) => c === "POST /agents/launch")).toHaveLength(1);
    // Running, running, finished: three polls, each after a durable sleep.
    expect(calls.filter((c) => c === "GET /containers/fetch").length).toBeGreaterThanOrEqual(3);
    expect(calls).toContain("GET /s3/org-l/search/result.csv");

    const [imp] = await serviceDb()
      .select({
        status: leadImports.status,
        createdBy: leadImports.createdBy,
        preset: leadImports.preset,
        jobEventId: leadImports.jobEventId,
      })
      .from(leadImports)
      .where(eq(leadImports.id, result!.importId));
    expect(imp).toMatchObject({ status: "queued", createdBy: fx.a.members.sales_rep.id, preset: "phantombuster_linkedin_search" });
    expect(imp!.jobEventId).toBeTruthy();
    const ref = { workspaceId: fx.a.id, importId: result!.importId, requestedBy: fx.a.members.sales_rep.id };
    expect(await runImportBatch(ref)).toMatchObject({ status: "completed", totalRows: 3 });
    const found = await serviceDb()
      .select({ title: leads.title })
      .from(leads)
      .where(and(eq(leads.workspaceId, fx.a.id), eq(leads.linkedinUrl, "https://www.linkedin.com/in/sam-2-launch")));
    expect(found).toEqual([{ title: "Founder" }]);
  });

  it("imports nothing when the agent was launched again while its run was followed: the result file is the later run's", async () => {
    const before = await importCount();
    const { error } = await launch("4003", async () => {
      // Someone launches the same agent in PhantomBuster meanwhile; that run is still going.
      const response = await fetch(`${fake.url}/agents/launch`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Phantombuster-Key-1": KEY },
        body: JSON.stringify({ id: "4003" }),
      });
      expect(response.ok).toBe(true);
    });
    expect(error?.message).toMatch(
      /^The agent “Launched twice” was launched again after the run this import followed, and its result file now holds the later run's rows, so nothing was imported/,
    );
    expect(await importCount()).toBe(before);
  });

  it("reports a failed run with PhantomBuster's reason and imports nothing", async () => {
    const before = await importCount();
    const { error } = await launch("4002");
    expect(error?.name).toBe("NonRetriableError");
    expect(error?.message).toBe(
      "The agent's run failed: it exited with code 1. PhantomBuster said: “Can't connect to LinkedIn with this session cookie”.",
    );
    expect(await importCount()).toBe(before);
    // Its retries spent (none for this), the failure handler puts the run in the Imports history with its reason.
    const data = { workspaceId: fx.a.id, accountId, agentId: "4002", requestedBy: fx.a.members.sales_rep.id };
    await recordFailedLaunch({ event: { data: { event: { data } } }, error: error! });
    expect(await importCount()).toBe(before + 1);
    const page = await asUser(fx.a.members.sales_rep, (tx) => listLeadImports(tx, { workspaceId: fx.a.id }));
    expect(page.imports[0]).toMatchObject({
      fileName: "PhantomBuster – agent 4002 – run failed",
      status: "failed",
      totalRows: 0,
      createdBy: { id: fx.a.members.sales_rep.id },
      error: error!.message,
    });
  });

  it("fails at once, naming the field, on a run answer of the wrong shape, and imports nothing", async () => {
    const before = await importCount();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      // The first poll's answer has no status: nothing of it is used, the run is not retried.
      fake.fail({ path: "/containers/fetch", status: 200, body: JSON.stringify({ id: "1", exitCode: "zero" }) });
      const { error } = await launch("4001");
      expect(error?.name).toBe("NonRetriableError");
      expect(error?.message).toMatch(
        /^PhantomBuster's run answer did not have the expected shape at status \(.+\); nothing was used from it\.$/,
      );
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[phantombuster\] GET \/containers\/fetch: unexpected answer at status: /));
    } finally {
      warn.mockRestore();
    }
    expect(await importCount()).toBe(before);
  });

  it("follows the latest run when the launch answer names none, and fails at once on an unknown agent", async () => {
    fake.launchWithoutBody = true;
    fake.agents.get("4001")!.pollsToFinish = 0;
    try {
      const { result, error } = await launch("4001");
      expect(error).toBeUndefined();
      expect(result?.status).toBe("queued");
    } finally {
      fake.launchWithoutBody = false;
    }
    const unknown = await launch("4999");
    expect(unknown.error?.name).toBe("NonRetriableError");
    expect(unknown.error?.message).toBe(
      "The agent could not be launched: PhantomBuster refused the agent request (HTTP 400) (“Agent not found”).",
    );
  });
});

describe("asking for a launch", () => {
  const ask = (member: TenancyMember, workspaceId: string) =>
    asUser(member, (tx) => requestAgentLaunch(tx, { workspaceId, userId: member.id, role: member.role }, { agentId: "4001" }));

  it("gives the job the workspace's own account, for sales reps and up only", async () => {
    const rep = fx.a.members.sales_rep;
    expect(await ask(rep, fx.a.id)).toEqual({ workspaceId: fx.a.id, accountId, agentId: "4001", requestedBy: rep.id });
    await expect(ask(fx.a.members.viewer, fx.a.id)).rejects.toMatchObject({ code: "forbidden" });
    const other = await ask(fx.b.members.admin, fx.b.id).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(AppError);
    expect((other as AppError).message).toBe(
      "PhantomBuster is not connected to this workspace. An admin can connect it in Settings → Integrations.",
    );
  });
});
