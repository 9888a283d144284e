import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import { leadImportIssues, leads } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { connectIntegrationAccount, listIntegrationAccounts } from "@/lib/integrations/accounts/accounts";
import { fetchContainer, launchAgent } from "@/lib/integrations/phantombuster/agents";
import { createPhantomBusterClient } from "@/lib/integrations/phantombuster/client";
import { startFakePhantomBuster, type FakeAgent } from "@/lib/integrations/phantombuster/testing/fake-phantombuster";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { getLeadImport } from "../get-lead-import";
import { runImportBatch } from "../run-import-batch";
import { importLatestAgentResult, type AgentImportOptions } from "./import-agent-result";

const KEY = "pb-import-key-0042";
const SALES_NAV_HEADER =
  "profileUrl,fullName,firstName,lastName,companyName,title,companyId,companyUrl,regularCompanyUrl,titleDescription,industry,location,durationInRole,connectionDegree,vmid,linkedInProfileUrl,defaultProfileUrl,isOpenLink";
const salesNavRow = (n: number, first: string, last: string) =>
  `"https://www.linkedin.com/sales/lead/ACwAA${n},NAME_SEARCH,x",${first} ${last},${first},${last},Acme ${n},VP Sales,${n},https://www.linkedin.com/sales/company/${n},https://www.linkedin.com/company/${n},,Software,"Paris, Île-de-France, France",10 months in role,2nd,v${n},https://www.linkedin.com/in/ACwAA${n},https://www.linkedin.com/in/${first.toLowerCase()}-${last.toLowerCase()}-${n},false`;

const agents: FakeAgent[] = [
  {
    id: "2001",
    name: "Sales Nav — VPs in Paris",
    orgS3Folder: "org-a",
    s3Folder: "salesnav",
    // Ana and Bo are new; Bo's row comes twice; Chloé is already a lead of the workspace.
    files: {
      "result.csv": [
        SALES_NAV_HEADER,
        salesNavRow(1, "Ana", "Lopez"),
        salesNavRow(2, "Bo", "Chen"),
        salesNavRow(2, "Bo", "Chen"),
        salesNavRow(3, "Chloe", "Martin"),
      ].join("\n"),
    },
  },
  {
    id: "2002",
    name: "Profile scraper",
    orgS3Folder: "org-a",
    s3Folder: "scraper",
    argument: '{"sessionCookie":"secret","csvName":"profiles"}',
    files: {
      // Only the JSON exists; the second row brings a column the first lacks.
      "profiles.json": JSON.stringify([
        { linkedinProfileUrl: "https://www.linkedin.com/in/dee-diaz", firstName: "Dee", lastName: "Diaz", linkedinJobTitle: "CTO" },
        {
          linkedinProfileUrl: "https://www.linkedin.com/in/eli-eze",
          firstName: "Eli",
          lastName: "Eze",
          linkedinJobTitle: 'CFO, "Ops"',
          professionalEmail: "eli@eze.example",
        },
      ]),
    },
  },
  { id: "2003", name: "Never launched", orgS3Folder: "org-a", s3Folder: "never", files: {} },
  {
    id: "2004",
    name: "Cookie expired",
    orgS3Folder: "org-a",
    s3Folder: "failing",
    files: { "result.csv": `${SALES_NAV_HEADER}\n${salesNavRow(9, "Old", "Row")}` },
    outcome: { exitCode: 1, exitMessage: "Can't connect to LinkedIn with this session cookie" },
  },
  { id: "2005", name: "Found nobody", orgS3Folder: "org-a", s3Folder: "empty", files: {} },
  {
    id: "2006",
    name: "Company list",
    orgS3Folder: "org-a",
    s3Folder: "companies",
    files: { "result.csv": "companyName,website\nAcme,acme.example" },
  },
];

const fake = await startFakePhantomBuster({ keys: [KEY], agents });
process.env.PHANTOMBUSTER_API_URL = fake.url;
process.env.PHANTOMBUSTER_S3_URL = fake.s3Url;

let fx: TenancyFixture;
const actor = (member: TenancyMember, workspaceId: string) => ({ workspaceId, userId: member.id, role: member.role });
const FAST: AgentImportOptions = {
  clientOptions: { policy: { retries: 1, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 10, timeoutMs: 2_000 } },
};

function importAs(member: TenancyMember, workspaceId: string, agentId: string) {
  return importLatestAgentResult((work) => asUser(member, work), actor(member, workspaceId), { agentId }, FAST);
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Runs the import's job to its end, batch by batch, as its steps would. */
async function runJob(workspaceId: string, importId: string, requestedBy: string) {
  for (;;) {
    const progress = await runImportBatch({ workspaceId, importId, requestedBy }, 2);
    if (progress.status !== "running" && progress.status !== "queued") return progress;
  }
}

const importsOf = (workspaceId: string) =>
  serviceDb().execute<{ n: number }>(sql`select count(*)::int as n from public.lead_imports where workspace_id = ${workspaceId}`);

beforeAll(async () => {
  fx = await createTenancyFixture();
  const admin = fx.a.members.admin;
  await asUser(admin, (tx) => connectIntegrationAccount(tx, actor(admin, fx.a.id), { vendor: "phantombuster", apiKey: KEY }));
  // Every agent but 2003 has run once; 2004's run failed.
  const client = createPhantomBusterClient({ apiKey: KEY });
  for (const id of ["2001", "2002", "2004", "2005", "2006"]) {
    const { containerId } = await launchAgent(client, id);
    // The fake's run ends when its container is read (pollsToFinish 0).
    expect((await fetchContainer(client, containerId!)).status).toBe("finished");
  }
  await insertTestLead(fx.a, { firstName: "Chloe", lastName: "Martin", linkedinUrl: "https://www.linkedin.com/in/chloe-martin-3" });
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});

describe("importing a PhantomBuster agent's latest result", () => {
  it("imports result.csv through the import pipeline with the Sales Navigator preset: rows become leads with the right counts", async () => {
    const rep = fx.a.members.sales_rep;
    const started = await importAs(rep, fx.a.id, "2001");
    expect(started).toMatchObject({
      status: "queued",
      fileName: "PhantomBuster – Sales Nav — VPs in Paris – result.csv",
      presetLabel: "PhantomBuster Sales Navigator search export",
      notice: null,
    });
    // The file was read from the agent's folders in S3, the key never sent there.
    expect(fake.requests.filter((r) => r.path.startsWith("/s3/")).at(-1)).toMatchObject({
      path: "/s3/org-a/salesnav/result.csv",
      apiKey: null,
    });

    expect(await runJob(fx.a.id, started.importId, rep.id)).toMatchObject({ status: "completed", processedRows: 4, totalRows: 4 });
    const imp = await asUser(rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: started.importId }));
    expect(imp).toMatchObject({ preset: "phantombuster_sales_navigator", inserted: 2, updated: 0, skipped: 2, failed: 0, totalRows: 4 });
    expect(imp).toMatchObject({ source: "phantombuster", sandbox: false }); // a real key: not sample data
    const issues = await serviceDb()
      .select({ row: leadImportIssues.rowNumber, reason: leadImportIssues.reason })
      .from(leadImportIssues)
      .where(eq(leadImportIssues.importId, started.importId))
      .orderBy(leadImportIssues.rowNumber);
    expect(issues).toEqual([
      { row: 3, reason: "duplicate_in_file" },
      { row: 4, reason: "exists_skip_rule" },
    ]);
    const ana = await serviceDb()
      .select({ title: leads.title, ownerId: leads.ownerId, source: leads.source, customFields: leads.customFields })
      .from(leads)
      .where(and(eq(leads.workspaceId, fx.a.id), eq(leads.linkedinUrl, "https://www.linkedin.com/in/ana-lopez-1")));
    expect(ana).toEqual([
      {
        title: "VP Sales",
        ownerId: rep.id,
        source: "phantombuster",
        customFields: expect.objectContaining({ location: "Paris, Île-de-France, France" }),
      },
    ]);
  });

  it("imports result.json when it is all there is, with the profile scraper preset and every column", async () => {
    const manager = fx.a.members.manager;
    const started = await importAs(manager, fx.a.id, "2002");
    expect(started).toMatchObject({ status: "queued", fileName: "PhantomBuster – Profile scraper – profiles.json" });
    expect(started.presetLabel).toBe("PhantomBuster LinkedIn profile scraper");
    expect(await runJob(fx.a.id, started.importId, manager.id)).toMatchObject({ status: "completed", totalRows: 2 });
    const imp = await asUser(manager, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: started.importId }));
    expect(imp).toMatchObject({ inserted: 2, skipped: 0, failed: 0 });
    expect(imp!.headers).toEqual(["linkedinProfileUrl", "firstName", "lastName", "linkedinJobTitle", "professionalEmail"]);
    const eli = await serviceDb()
      .select({ email: leads.email, title: leads.title })
      .from(leads)
      .where(and(eq(leads.workspaceId, fx.a.id), eq(leads.linkedinUrl, "https://www.linkedin.com/in/eli-eze")));
    expect(eli).toEqual([{ email: "eli@eze.example", title: 'CFO, "Ops"' }]);
  });

  it("gives a readable reason, and creates no import, for an agent that never ran, a failed run, no result file or an unknown agent", async () => {
    const rep = fx.a.members.sales_rep;
    const before = (await importsOf(fx.a.id))[0]!.n;
    expect((await refusal(importAs(rep, fx.a.id, "2003"))).message).toBe(
      "The agent “Never launched” has never run, so it has no result to import. Launch it in PhantomBuster first.",
    );
    const failed = await refusal(importAs(rep, fx.a.id, "2004"));
    expect(failed.message).toBe(
      "The agent “Cookie expired”'s latest run failed, so its result was not imported. Why: it exited with code 1. PhantomBuster said: “Can't connect to LinkedIn with this session cookie”.",
    );
    expect((await refusal(importAs(rep, fx.a.id, "2005"))).message).toBe(
      "The agent “Found nobody” has no result file in PhantomBuster's storage yet (neither result.csv nor result.json), so there is nothing to import. Check its latest run in PhantomBuster.",
    );
    expect(await refusal(importAs(rep, fx.a.id, "9999"))).toMatchObject({
      code: "not_found",
      message: "PhantomBuster does not know that agent (“Agent not found”).",
    });
    // A run under way: its file may be half-written.
    fake.agents.get("2005")!.pollsToFinish = 5;
    await launchAgent(createPhantomBusterClient({ apiKey: KEY }), "2005");
    expect(await refusal(importAs(rep, fx.a.id, "2005"))).toMatchObject({
      code: "conflict",
      message: "The agent “Found nobody” is running now. Import its result once the run has finished.",
    });
    expect((await importsOf(fx.a.id))[0]!.n).toBe(before);
  });

  it("says so when PhantomBuster refuses the saved key or is down, without creating an import", async () => {
    const rep = fx.a.members.sales_rep;
    fake.fail({ status: 401, body: '{"status":"error","message":"Invalid API key"}' });
    expect(await refusal(importAs(rep, fx.a.id, "2001"))).toMatchObject({
      code: "forbidden",
      message: "PhantomBuster refused the API key (“Invalid API key”). An admin can enter a working key in Settings → Integrations.",
    });
    // Settings → Integrations shows it as well, until a use of the key works again.
    const admin = fx.a.members.admin;
    const account = async () => (await asUser(admin, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id })))[0]!;
    expect(await account()).toMatchObject({
      status: "failing",
      lastError:
        "PhantomBuster: PhantomBuster refused the API key (“Invalid API key”). Copy the key from PhantomBuster (Workspace settings → API keys) and save it here.",
    });
    fake.fail({ status: 503 }, { status: 503 });
    expect((await refusal(importAs(rep, fx.a.id, "2001"))).code).toBe("unavailable");
    expect((await account()).lastError).toMatch(/^PhantomBuster: PhantomBuster is not answering properly \(HTTP 503 on 2 attempts\)/);
    // An agent PhantomBuster does not know says nothing about the account.
    await refusal(importAs(rep, fx.a.id, "9999"));
    expect((await account()).status).toBe("failing");
    await importAs(rep, fx.a.id, "2001");
    expect(await account()).toMatchObject({ status: "connected", lastError: null, lastSuccessAt: expect.any(Date) });
  });

  it("leaves a file no preset can map waiting for a person's mapping, saying why", async () => {
    const rep = fx.a.members.sales_rep;
    const started = await importAs(rep, fx.a.id, "2006");
    expect(started).toMatchObject({ status: "mapping" });
    expect(started.notice).toMatch(/Map a column to Email or LinkedIn URL/);
    const imp = await asUser(rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: started.importId }));
    expect(imp).toMatchObject({ status: "mapping", headers: ["companyName", "website"], totalRows: 1 });
  });

  it("lets no other workspace use the key or see the import, and no role below sales rep import", async () => {
    const rep = fx.a.members.sales_rep;
    const started = await importAs(rep, fx.a.id, "2001");
    const other = fx.b.members.admin;
    expect(await refusal(importAs(other, fx.b.id, "2001"))).toMatchObject({
      code: "not_found",
      message: "PhantomBuster is not connected to this workspace. An admin can connect it in Settings → Integrations.",
    });
    const seen = await asUser(other, (tx: Database) => getLeadImport(tx, { workspaceId: fx.a.id, importId: started.importId }));
    expect(seen).toBeNull();
    // Naming workspace A while being a member of B only opens nothing either.
    expect(await refusal(importAs(other, fx.a.id, "2001"))).toMatchObject({ code: "not_found" });
    for (const role of ["analyst", "viewer"] as const) {
      expect((await refusal(importAs(fx.a.members[role], fx.a.id, "2001"))).code).toBe("forbidden");
    }
  });
});
