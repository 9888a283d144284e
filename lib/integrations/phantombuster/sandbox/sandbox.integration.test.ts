import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { leadImportIssues, leads } from "@/db/schema";
import { env } from "@/lib/env";
import { getLeadImport } from "@/lib/imports/get-lead-import";
import { importLatestAgentResult } from "@/lib/imports/phantombuster/import-agent-result";
import { openAgentList } from "@/lib/imports/phantombuster/list-agents";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { recheckIntegrationAccount } from "@/lib/integrations/accounts/integration-key";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { mintSandboxKey } from "@/lib/integrations/sandbox/sandbox-key";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { fetchAgent, fetchAgentOutput, fetchContainer, launchAgent, listAgents, runOutcome } from "../agents";
import { createPhantomBusterClient } from "../client";
import { checkPhantomBusterKey } from "../key-check";
import { openResultFile, resultObjectFiles } from "../result-file";
import { phantomBusterSandboxUrls } from "./base-url";
import { handlePhantomBusterSandboxRequest, SANDBOX_RUN_MS } from "./handler";
import { SAMPLE_AGENTS } from "./sample-agents";

/**
 * The sandbox as the app serves it (the route strips /api/sandbox/phantombuster) at APP_URL, set
 * before anything reads the environment; its clock is the test's, so runs end when it says.
 */
const ROUTE = "/api/sandbox/phantombuster";
let clock = Date.now();
const served = await serveWebHandler((request) =>
  handlePhantomBusterSandboxRequest(request, new URL(request.url).pathname.slice(ROUTE.length), clock),
);
process.env.APP_URL = served.url;

const [SALES_NAV, SCRAPER, EXPIRED, NEVER] = SAMPLE_AGENTS.map((a) => a.id) as [string, string, string, string];
let fx: TenancyFixture;
const actor = (m: TenancyMember, workspaceId: string) => ({ workspaceId, userId: m.id, role: m.role });
const FAST = { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, timeoutMs: 5_000 };
const sandboxClient = (apiKey: string) => createPhantomBusterClient({ apiKey, ...phantomBusterSandboxUrls(), policy: FAST });

beforeAll(async () => {
  expect(phantomBusterSandboxUrls().baseUrl).toBe(`${served.url}/api/sandbox/phantombuster/api/v2`);
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await served.close();
});

describe("the PhantomBuster sandbox", () => {
  const key = (workspaceId = fx.a.id) => mintSandboxKey("phantombuster", workspaceId, env().ENCRYPTION_KEY);

  it("answers the client's every call in PhantomBuster's shapes, for a key this server minted only", async () => {
    const client = sandboxClient(key());
    await checkPhantomBusterKey(client);
    const refused = await listAgents(sandboxClient("sandbox_phantombuster_forged")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VendorError);
    expect(refused).toMatchObject({
      kind: "unauthorized",
      message: expect.stringMatching(/^PhantomBuster refused the API key \(“Invalid API key”\)/),
    });

    const agents = await listAgents(client);
    expect(agents.map((a) => a.id)).toEqual([SALES_NAV, SCRAPER, EXPIRED, NEVER]);
    expect(agents.every((a) => a.name?.startsWith("Sample · ") && a.sampleData === true && a.orgS3Folder === undefined)).toBe(true);
    const agent = await fetchAgent(client, SALES_NAV);
    expect(agent.orgS3Folder).toBe(`sandbox-${fx.a.id.replace(/-/g, "")}`);
    expect(await fetchAgent(client, "404").catch((e: unknown) => e)).toMatchObject({ kind: "rejected", details: { status: 404 } });

    // The Sales Navigator agent's run names its files in its result object (a JSON string).
    const latest = await fetchAgentOutput(client, SALES_NAV);
    expect(latest).toMatchObject({ status: "finished", containerId: expect.stringMatching(/^\d+$/) });
    const run = await fetchContainer(client, latest.containerId!, { withResultObject: true });
    expect(runOutcome(run)).toEqual({ state: "succeeded" });
    expect(typeof run.resultObject).toBe("string");
    expect(resultObjectFiles(client.s3Url, run).map((f) => f.fileName)).toEqual(["result.csv", "result.json"]);
    const csv = await openResultFile(client, agent, run);
    const text = await csv!.response.text();
    expect(csv).toMatchObject({ format: "csv", fileName: "result.csv" });
    expect(text).toContain("Chloé,Lefèvre");
    expect(text).toContain('"Paris, Île-de-France, France"');
    expect(text).toContain('"VP Sales, ""New Markets"""');
    expect(text).toContain("https://www.linkedin.com/in/Sample-Renee-Dubois-Muller");

    // The profile scraper keeps only result.json (its csvName is "profiles").
    const json = await openResultFile(client, await fetchAgent(client, SCRAPER));
    expect(json).toMatchObject({ format: "json", fileName: "profiles.json" });
    expect(JSON.parse(await json!.response.text())).toHaveLength(4);

    const expired = await fetchAgentOutput(client, EXPIRED);
    expect(runOutcome(await fetchContainer(client, expired.containerId!))).toEqual({
      state: "failed",
      reason:
        "The agent's run failed: it exited with code 1. PhantomBuster said: “Can't connect to LinkedIn with this session cookie (sample).”.",
    });
    expect((await fetchAgentOutput(client, NEVER)).status).toBe("never launched");
    expect(await openResultFile(client, await fetchAgent(client, NEVER))).toBeNull();
  });

  it("runs a launched agent for a few seconds, then its result file holds one more person, in that workspace only", async () => {
    const client = sandboxClient(key());
    const before = await (await openResultFile(client, await fetchAgent(client, SALES_NAV)))!.response.text();
    const { containerId } = await launchAgent(client, SALES_NAV);
    expect(runOutcome(await fetchContainer(client, containerId!)).state).toBe("running");
    expect((await listAgents(client))[0]).toMatchObject({ nbContainersRunning: 1 });
    clock += SANDBOX_RUN_MS;
    expect(runOutcome(await fetchContainer(client, containerId!)).state).toBe("succeeded");
    expect(await fetchAgentOutput(client, SALES_NAV)).toMatchObject({ containerId, status: "finished" });
    const after = await (await openResultFile(client, await fetchAgent(client, SALES_NAV)))!.response.text();
    expect(after.split("\n").filter(Boolean)).toHaveLength(before.split("\n").filter(Boolean).length + 1);
    expect(after).toContain("Anaïs,Moreau");

    // Another workspace's sandbox has its own agents' state.
    const other = sandboxClient(key(fx.b.id));
    const untouched = await (await openResultFile(other, await fetchAgent(other, SALES_NAV)))!.response.text();
    expect(untouched).toBe(before);
  });

  it("is connected by an admin without a key, rechecked through the same client, and its agents are labelled as the sandbox's", async () => {
    const admin = fx.a.members.admin;
    const account = await asUser(admin, (tx) => connectIntegrationSandbox(tx, actor(admin, fx.a.id), { vendor: "phantombuster" }));
    expect(account).toMatchObject({ vendor: "phantombuster", sandbox: true, status: "connected" });
    const checked = await asUser(admin, (tx) => recheckIntegrationAccount(tx, actor(admin, fx.a.id), { accountId: account.id }));
    expect(checked).toMatchObject({ status: "connected", lastError: null });
    const rep = fx.a.members.sales_rep;
    const list = await asUser(rep, (tx) => openAgentList(tx, actor(rep, fx.a.id)));
    expect(list.sandbox).toBe(true);
    expect((await list.load()).map((a) => [a.name, a.lastRun])).toEqual([
      ["Sample · Sales Navigator — Heads of Sales in France", "succeeded"],
      ["Sample · LinkedIn Profile Scraper", "succeeded"],
      ["Sample · LinkedIn Search Export (session expired)", "failed"],
      ["Sample · New search (never launched)", "never"],
    ]);
  });

  it("imports the sample results through the import pipeline: accents kept, the duplicate in another case skipped, a failed run refused", async () => {
    const rep = fx.a.members.sales_rep;
    const importAs = (agentId: string) => importLatestAgentResult((work) => asUser(rep, work), actor(rep, fx.a.id), { agentId });
    const started = await importAs(SALES_NAV);
    expect(started).toMatchObject({
      status: "queued",
      fileName: "PhantomBuster – Sample · Sales Navigator — Heads of Sales in France – result.csv",
      presetLabel: "PhantomBuster Sales Navigator search export",
    });
    for (;;) {
      const progress = await runImportBatch({ workspaceId: fx.a.id, importId: started.importId, requestedBy: rep.id }, 50);
      if (progress.status !== "running" && progress.status !== "queued") break;
    }
    const imp = await asUser(rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: started.importId }));
    // Six people, the same one again in another case, and the one the earlier launch found.
    expect(imp).toMatchObject({ status: "completed", totalRows: 8, inserted: 7, skipped: 1, failed: 0 });
    // Recorded as the sandbox's when it was created: its page, its history row and its leads say sample data.
    expect(imp).toMatchObject({ source: "phantombuster", sandbox: true });
    const issues = await serviceDb()
      .select({ reason: leadImportIssues.reason })
      .from(leadImportIssues)
      .where(eq(leadImportIssues.importId, started.importId));
    expect(issues).toEqual([{ reason: "duplicate_in_file" }]);
    const [chloe] = await serviceDb()
      .select({ firstName: leads.firstName, lastName: leads.lastName, source: leads.source })
      .from(leads)
      .where(and(eq(leads.workspaceId, fx.a.id), eq(leads.linkedinUrl, "https://www.linkedin.com/in/sample-chloe-lefevre")));
    expect(chloe).toEqual({ firstName: "Chloé", lastName: "Lefèvre", source: "phantombuster" });

    const failed = await importAs(EXPIRED).catch((e: unknown) => e);
    expect(failed).toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/^The agent “Sample · LinkedIn Search Export \(session expired\)”'s latest run failed/),
    });
  });
});
