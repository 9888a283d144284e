import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { connectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { listLeadApolloEnrichments } from "@/lib/integrations/apollo/enrich-leads/read-lead-enrichments";
import { estimateLeadEnrichment, startLeadEnrichment } from "@/lib/integrations/apollo/enrich-leads/start-lead-enrichment";
import { estimateApolloImport, startApolloImport } from "@/lib/integrations/apollo/import/start-apollo-import";
import { handleApolloSandboxRequest } from "@/lib/integrations/apollo/sandbox/handler";
import { enrichedRecordOf, samplePerson, sandboxApolloId } from "@/lib/integrations/apollo/sandbox/sample-people";
import { startFakeApollo, type FakeApollo } from "@/lib/integrations/apollo/testing/fake-apollo";
import { fakeApolloId, fakeEnrichedPerson } from "@/lib/integrations/apollo/testing/fake-people";
import { getCompany } from "@/lib/companies/get-company";
import { listCompanies } from "@/lib/companies/list-companies";
import { DEFAULT_COMPANY_LIST_STATE } from "@/lib/companies/list-state";
import { getLeadImport } from "@/lib/imports/get-lead-import";
import { listLeadImports } from "@/lib/imports/list-lead-imports";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import type { ImportRules } from "@/lib/imports/types";
import { getLeadRecord } from "@/lib/leads/get-lead";
import { leadSampleOrigin } from "@/lib/leads/lead-sample-origin";
import { listLeads } from "@/lib/leads/list-leads";
import { DEFAULT_LEAD_LIST_STATE } from "@/lib/leads/list-state";
import { createTestImport } from "@/tests/fixtures/imports";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyWorkspace } from "@/tests/fixtures/tenancy";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { runLeadImportFunction } from "../leads/run-lead-import";
import { enrichLeadsFromApolloFunction } from "./enrich-leads-from-apollo";
import { importFromApolloFunction } from "./import-from-apollo";

/**
 * Whether an import or an enrichment came from a vendor's sandbox is recorded when it is
 * created, from its integration account: workspace A has the Apollo sandbox (the app's own
 * route, served here at APP_URL), workspace B a real key (the fake Apollo). Both set before
 * anything reads the environment, which is parsed once per process.
 */
const ROUTE = "/api/sandbox/apollo";
const sandbox = await serveWebHandler((request) => handleApolloSandboxRequest(request, new URL(request.url).pathname.slice(ROUTE.length)));
process.env.APP_URL = sandbox.url;
const KEY = "apollo-provenance-key-0001";
const fake: FakeApollo = await startFakeApollo({ masterKeys: [KEY], totalEntries: 5_000 });
process.env.APOLLO_API_URL = fake.url;

let fx: TenancyFixture;
const accounts: Record<string, string> = {};
const rep = (ws: TenancyWorkspace) => ({ workspaceId: ws.id, userId: ws.members.sales_rep.id, role: "sales_rep" as const });

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  const admin = (ws: TenancyWorkspace) => ({ workspaceId: ws.id, userId: ws.members.admin.id, role: "admin" as const });
  accounts[fx.a.id] = (await asUser(fx.a.members.admin, (tx) => connectIntegrationSandbox(tx, admin(fx.a), { vendor: "apollo" }))).id;
  accounts[fx.b.id] = (
    await asUser(fx.b.members.admin, (tx) => connectIntegrationAccount(tx, admin(fx.b), { vendor: "apollo", apiKey: KEY }))
  ).id;
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
  await sandbox.close();
});

const SKIP: ImportRules = { onMatch: "skip", owner: { kind: "none" }, tags: [] };

/** Starts an Apollo import as the rep, then runs its job and the CSV import job it hands the rows to. */
async function importPeople(ws: TenancyWorkspace, personIds: string[], rules: ImportRules = SKIP) {
  const actor = rep(ws);
  const started = await asUser(ws.members.sales_rep, async (tx) => {
    const estimate = await estimateApolloImport(tx, actor, { selection: { kind: "people", ids: personIds }, reenrich: false });
    return startApolloImport(tx, actor, {
      personIds,
      rules,
      reenrich: false,
      confirmedMaxCredits: estimate.maxCredits,
    });
  });
  const ref = { workspaceId: ws.id, importId: started.importId, accountId: started.accountId, requestedBy: actor.userId };
  const enrich = await new InngestTestEngine({
    function: importFromApolloFunction,
    events: [{ name: "integrations/apollo-import.requested", data: ref } as EventPayload],
    steps: [{ id: "write-leads", handler: () => ({ ids: [] }) }],
  }).execute();
  expect(enrich.error).toBeUndefined();
  const write = await new InngestTestEngine({
    function: runLeadImportFunction,
    events: [
      {
        name: "leads/import.requested",
        data: { workspaceId: ws.id, importId: started.importId, requestedBy: actor.userId },
      } as EventPayload,
    ],
  }).execute();
  expect(write.error).toBeUndefined();
  return started.importId;
}

/**
 * A file through the CSV import pipeline (as PhantomBuster's results go), recorded as served by a
 * vendor's sandbox or not as the import service records it, run batch by batch as its job does.
 */
async function importFile(
  ws: TenancyWorkspace,
  rows: string[][],
  { sandbox, source, rules }: { sandbox: boolean; source: "csv" | "phantombuster"; rules: ImportRules },
) {
  const by = ws.members.manager.id;
  const importId = await createTestImport({
    workspaceId: ws.id,
    createdBy: by,
    fileName: "result.csv",
    headers: ["First Name", "Last Name", "Email", "Title"],
    rows,
    start: {
      mapping: { columns: (["first_name", "last_name", "email", "title"] as const).map((field) => ({ kind: "field", field })) },
      rules,
    },
  });
  await serviceDb().execute(sql`update lead_imports set sandbox = ${sandbox}, source = ${source} where id = ${importId}`);
  for (let batch = 0; batch < 10; batch++) {
    if ((await runImportBatch({ workspaceId: ws.id, importId, requestedBy: by })).status !== "running") break;
  }
  return importId;
}

/** What a viewer sees of a lead's sample data: the mark on its table row, and the lead page's note. */
async function sampleSeen(ws: TenancyWorkspace, leadId: string) {
  const viewer = ws.members.viewer;
  return asUser(viewer, async (tx) => {
    const page = await listLeads(tx, { workspaceId: ws.id, userId: viewer.id, state: { ...DEFAULT_LEAD_LIST_STATE, pageSize: 100 } });
    const row = page.rows.find((r) => r.id === leadId);
    expect(row).toBeDefined();
    const lead = await getLeadRecord(tx, { workspaceId: ws.id, leadId });
    return { row: row!.sampleData, page: await leadSampleOrigin(tx, { workspaceId: ws.id, lead }) };
  });
}

/** The companies of these leads as a viewer sees them: the Companies list's mark and the company page's. */
async function companiesSeen(ws: TenancyWorkspace, leadIds: string[]) {
  const linked = await serviceDb().execute<{ id: string }>(sql`
    select distinct company_id as id from leads where id in ${leadIds} and company_id is not null order by 1`);
  const viewer = ws.members.viewer;
  return asUser(viewer, async (tx) => {
    const list = await listCompanies(tx, { workspaceId: ws.id, state: { ...DEFAULT_COMPANY_LIST_STATE, pageSize: 100 } });
    const seen: { list: boolean | undefined; page: boolean }[] = [];
    for (const { id } of linked) {
      const page = await getCompany(tx, { workspaceId: ws.id, companyId: id });
      seen.push({ list: list.rows.find((r) => r.id === id)?.sampleData, page: page.sampleData });
    }
    return seen;
  });
}

async function leadIdsOf(ws: TenancyWorkspace, importId: string): Promise<string[]> {
  const rows = await serviceDb().execute<{ lead_id: string }>(sql`
    select lead_id from lead_activities where workspace_id = ${ws.id} and type = 'imported' and payload->>'importId' = ${importId}`);
  return rows.map((r) => r.lead_id);
}

async function enrichLead(ws: TenancyWorkspace, email: string) {
  const [lead] = await serviceDb().execute<{ id: string }>(sql`
    insert into leads (workspace_id, email) values (${ws.id}, ${email}) returning id`);
  const leadId = lead!.id;
  const actor = rep(ws);
  const started = await asUser(ws.members.sales_rep, async (tx) => {
    const estimate = await estimateLeadEnrichment(tx, actor, { selection: { ids: [leadId] }, reenrich: false });
    return startLeadEnrichment(tx, actor, {
      selection: { ids: [leadId] },
      mode: "fill_empty",
      reenrich: false,
      confirmedMaxCredits: estimate.maxCredits,
    });
  });
  const ref = { workspaceId: ws.id, enrichmentId: started.enrichmentId, accountId: accounts[ws.id]!, requestedBy: actor.userId };
  const ran = await new InngestTestEngine({
    function: enrichLeadsFromApolloFunction,
    events: [{ name: "integrations/apollo-lead-enrichment.requested", data: ref } as EventPayload],
  }).execute();
  expect(ran.error).toBeUndefined();
  return { leadId, enrichmentId: started.enrichmentId };
}

/** The UPDATE statements of the migration whose file name ends so (its backfill), comments left out. */
function backfillOf(fileSuffix: string): string[] {
  const dir = path.join(process.cwd(), "db/migrations");
  const file = readdirSync(dir).find((f) => f.endsWith(fileSuffix));
  return readFileSync(path.join(dir, file!), "utf8")
    .split("--> statement-breakpoint")
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter((statement) => statement.startsWith("UPDATE"));
}

/**
 * The test workspaces' sample_data marks on a table as these runs left them (`live`), and as the
 * migration's backfill rebuilds them from the column's default (`rebuilt`, rolled back after).
 */
async function rebuiltByBackfill<T>(table: "leads" | "companies", unmarked: T, backfill: string[]) {
  type Mark = { id: string; sample_data: T };
  const marks = (db: Pick<ReturnType<typeof serviceDb>, "execute">) =>
    db.execute<Mark>(sql`select id, sample_data from ${sql.identifier(table)} where workspace_id in (${fx.a.id}, ${fx.b.id}) order by id`);
  const live = await marks(serviceDb());
  const rebuilt = await serviceDb()
    .transaction(async (tx) => {
      await tx.execute(sql`update ${sql.identifier(table)} set sample_data = ${unmarked} where workspace_id in (${fx.a.id}, ${fx.b.id})`);
      for (const statement of backfill) await tx.execute(sql.raw(statement));
      throw Object.assign(new Error("rollback"), { rows: await marks(tx) });
    })
    .catch((e: { rows?: Mark[] }) => e.rows);
  return { live, rebuilt };
}

describe("sample data from a vendor's sandbox is recorded as such when it runs", () => {
  it("an import from the Apollo sandbox, its history row and its leads say sample data (for a viewer too); one with a real key does not", async () => {
    const fromSandbox = await importPeople(fx.a, [sandboxApolloId(0), sandboxApolloId(1)]);
    const real = await importPeople(fx.b, [fakeApolloId(0), fakeApolloId(1)]);

    const seenA = await asUser(fx.a.members.sales_rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: fromSandbox }));
    expect(seenA).toMatchObject({ status: "completed", inserted: 2, source: "apollo", sandbox: true });
    const seenB = await asUser(fx.b.members.sales_rep, (tx) => getLeadImport(tx, { workspaceId: fx.b.id, importId: real }));
    expect(seenB).toMatchObject({ status: "completed", inserted: 2, source: "apollo", sandbox: false });
    const historyA = await asUser(fx.a.members.sales_rep, (tx) => listLeadImports(tx, { workspaceId: fx.a.id }));
    expect(historyA.imports.find((i) => i.id === fromSandbox)).toMatchObject({ sandbox: true });
    const historyB = await asUser(fx.b.members.sales_rep, (tx) => listLeadImports(tx, { workspaceId: fx.b.id }));
    expect(historyB.imports.find((i) => i.id === real)).toMatchObject({ sandbox: false });

    const sampleLeads = await leadIdsOf(fx.a, fromSandbox);
    expect(sampleLeads).toHaveLength(2);
    for (const leadId of sampleLeads) {
      // A viewer does not see imports, but reads the leads table and the lead: the label reaches them too.
      expect(await sampleSeen(fx.a, leadId)).toEqual({ row: "lead", page: { source: "apollo", created: true, via: "import" } });
    }
    const realLeads = await leadIdsOf(fx.b, real);
    expect(realLeads).toHaveLength(2);
    for (const leadId of realLeads) expect(await sampleSeen(fx.b, leadId)).toEqual({ row: null, page: null });
    // The companies the sandbox's people work at were invented with them; the real key's are real.
    const sampleCompanies = await companiesSeen(fx.a, sampleLeads);
    expect(sampleCompanies.length).toBeGreaterThan(0);
    expect(sampleCompanies).toEqual(sampleCompanies.map(() => ({ list: true, page: true })));
    const realCompanies = await companiesSeen(fx.b, realLeads);
    expect(realCompanies.length).toBeGreaterThan(0);
    expect(realCompanies).toEqual(realCompanies.map(() => ({ list: false, page: false })));

    // The account reconnected with a real key later: what the sandbox served stays sample data.
    await serviceDb().execute(sql`update integration_accounts set sandbox = false where id = ${accounts[fx.a.id]!}`);
    try {
      const later = await asUser(fx.a.members.sales_rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: fromSandbox }));
      expect(later).toMatchObject({ sandbox: true });
      expect(await sampleSeen(fx.a, sampleLeads[0]!)).toEqual({ row: "lead", page: { source: "apollo", created: true, via: "import" } });
    } finally {
      await serviceDb().execute(sql`update integration_accounts set sandbox = true where id = ${accounts[fx.a.id]!}`);
    }
  });

  it("an enrichment of an existing lead by the Apollo sandbox is sample data on the lead's panel; one with a real key is not", async () => {
    const sample = await enrichLead(fx.a, enrichedRecordOf(samplePerson(7)).email!);
    const panelA = await asUser(fx.a.members.viewer, (tx) =>
      listLeadApolloEnrichments(tx, { workspaceId: fx.a.id, leadId: sample.leadId }),
    );
    expect(panelA).toHaveLength(1);
    expect(panelA[0]).toMatchObject({ outcome: "updated", sandbox: true });
    const [runA] = await serviceDb().execute<{ sandbox: boolean }>(
      sql`select sandbox from apollo_lead_enrichments where id = ${sample.enrichmentId}`,
    );
    expect(runA).toEqual({ sandbox: true });
    // Not imported from a sandbox: the lead itself is not called sample data, some of its values are.
    expect(await sampleSeen(fx.a, sample.leadId)).toEqual({
      row: "values",
      page: { source: "apollo", created: false, via: "enrichment" },
    });

    const real = await enrichLead(fx.b, fakeEnrichedPerson(3).email!);
    const panelB = await asUser(fx.b.members.viewer, (tx) => listLeadApolloEnrichments(tx, { workspaceId: fx.b.id, leadId: real.leadId }));
    expect(panelB).toHaveLength(1);
    expect(panelB[0]).toMatchObject({ outcome: "updated", sandbox: false });
    const [runB] = await serviceDb().execute<{ sandbox: boolean }>(
      sql`select sandbox from apollo_lead_enrichments where id = ${real.enrichmentId}`,
    );
    expect(runB).toEqual({ sandbox: false });
    expect(await sampleSeen(fx.b, real.leadId)).toEqual({ row: null, page: null });
  });

  it("a sandbox import that changes a real lead marks its values; a real import that changes a sample lead leaves the mark", async () => {
    const fill: ImportRules = { onMatch: "fill_empty", owner: { kind: "none" }, tags: [] };
    // A lead added by hand, then reached by the Apollo sandbox's person with the same address.
    const person = enrichedRecordOf(samplePerson(11));
    const manual = await insertTestLead(fx.a, { firstName: person.first_name ?? "Sam", lastName: null, email: person.email! });
    await importPeople(fx.a, [sandboxApolloId(11)], fill);
    expect(await sampleSeen(fx.a, manual)).toEqual({ row: "values", page: { source: "apollo", created: false, via: "import" } });

    // PhantomBuster's sandbox result through the CSV pipeline: new leads are sample leads, as the page says.
    const suffix = Date.now().toString(36);
    const pbEmail = `pb-sample-${suffix}@sandbox.example`;
    const pb = await importFile(fx.a, [["Pat", "Sample", pbEmail, ""]], { sandbox: true, source: "phantombuster", rules: fill });
    const [pbLead] = await leadIdsOf(fx.a, pb);
    expect(await sampleSeen(fx.a, pbLead!)).toEqual({ row: "lead", page: { source: "phantombuster", created: true, via: "import" } });

    // A real file overwrites the sample lead's title: it is still the sandbox's invented person.
    const realFile = await importFile(fx.a, [["Pat", "Sample", pbEmail, "Real title"]], {
      sandbox: false,
      source: "csv",
      rules: { ...fill, onMatch: "overwrite" },
    });
    expect(await getLeadImport(serviceDb(), { workspaceId: fx.a.id, importId: realFile })).toMatchObject({ updated: 1 });
    expect(await sampleSeen(fx.a, pbLead!)).toEqual({ row: "lead", page: { source: "phantombuster", created: true, via: "import" } });

    // A real file's new lead, and a sandbox import that changes nothing on a real one, mark nothing.
    const realEmail = `real-${suffix}@example.com`;
    const [realLead] = await leadIdsOf(
      fx.a,
      await importFile(fx.a, [["Rae", "Real", realEmail, "CTO"]], { sandbox: false, source: "csv", rules: fill }),
    );
    await importFile(fx.a, [["Rae", "Real", realEmail, "CTO"]], { sandbox: true, source: "phantombuster", rules: fill });
    expect(await sampleSeen(fx.a, realLead!)).toEqual({ row: null, page: null });
  });

  it("a sandbox import naming a real company links it and leaves it real", async () => {
    await serviceDb().execute(sql`insert into companies (workspace_id, name) values (${fx.a.id}, 'Real Named Co')`);
    const suffix = Date.now().toString(36);
    const importId = await createTestImport({
      workspaceId: fx.a.id,
      createdBy: fx.a.members.manager.id,
      fileName: "result.csv",
      headers: ["First Name", "Email", "Company"],
      rows: [
        ["Nia", `nia-${suffix}@gmail.com`, "Real Named Co"],
        ["Oto", `oto-${suffix}@gmail.com`, `Sandbox Named ${suffix}`],
      ],
      start: {
        mapping: { columns: (["first_name", "email", "company_name"] as const).map((field) => ({ kind: "field", field })) },
        rules: SKIP,
      },
    });
    await serviceDb().execute(sql`update lead_imports set sandbox = true, source = 'phantombuster' where id = ${importId}`);
    await runImportBatch({ workspaceId: fx.a.id, importId, requestedBy: fx.a.members.manager.id });
    const rows = await serviceDb().execute<{ name: string; sample_data: boolean }>(sql`
      select name, sample_data from companies where workspace_id = ${fx.a.id} and name in ('Real Named Co', ${`Sandbox Named ${suffix}`})
      order by name`);
    expect(rows).toEqual([
      { name: "Real Named Co", sample_data: false },
      { name: `Sandbox Named ${suffix}`, sample_data: true },
    ]);
  });

  it("migration 0081's backfill gives existing companies the mark these runs gave them", async () => {
    const backfill = backfillOf("_company_sample_data.sql");
    expect(backfill).toHaveLength(1);
    const { live, rebuilt } = await rebuiltByBackfill<boolean>("companies", false, backfill);
    expect(live.filter((c) => c.sample_data).length).toBeGreaterThanOrEqual(2);
    expect(live.filter((c) => !c.sample_data).length).toBeGreaterThanOrEqual(2);
    expect(rebuilt).toEqual(live);
  });

  it("migration's backfill gives existing leads the mark these runs gave them", async () => {
    const backfill = backfillOf("_lead_sample_data.sql");
    expect(backfill).toHaveLength(2);
    const { live, rebuilt } = await rebuiltByBackfill<string | null>("leads", null, backfill);
    expect(live.filter((l) => l.sample_data === "lead").length).toBeGreaterThanOrEqual(3);
    expect(live.filter((l) => l.sample_data === "values").length).toBeGreaterThanOrEqual(2);
    expect(live.filter((l) => l.sample_data === null).length).toBeGreaterThanOrEqual(4);
    expect(rebuilt).toEqual(live);
  });
});
