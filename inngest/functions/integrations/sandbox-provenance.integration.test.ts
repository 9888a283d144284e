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
import { getLeadImport } from "@/lib/imports/get-lead-import";
import { listLeadImports } from "@/lib/imports/list-lead-imports";
import { leadSampleOrigin } from "@/lib/leads/lead-sample-origin";
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

/** Starts an Apollo import as the rep, then runs its job and the CSV import job it hands the rows to. */
async function importPeople(ws: TenancyWorkspace, personIds: string[]) {
  const actor = rep(ws);
  const started = await asUser(ws.members.sales_rep, async (tx) => {
    const estimate = await estimateApolloImport(tx, actor, { selection: { kind: "people", ids: personIds }, reenrich: false });
    return startApolloImport(tx, actor, {
      personIds,
      rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
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
      // A viewer does not see imports, but reads the lead's timeline: the label reaches them too.
      const origin = await asUser(fx.a.members.viewer, (tx) =>
        leadSampleOrigin(tx, { workspaceId: fx.a.id, leadId, leadSource: "apollo" }),
      );
      expect(origin).toEqual({ source: "apollo", created: true });
    }
    const realLeads = await leadIdsOf(fx.b, real);
    expect(realLeads).toHaveLength(2);
    for (const leadId of realLeads) {
      const origin = await asUser(fx.b.members.viewer, (tx) =>
        leadSampleOrigin(tx, { workspaceId: fx.b.id, leadId, leadSource: "apollo" }),
      );
      expect(origin).toBeNull();
    }

    // The account reconnected with a real key later: what the sandbox served stays sample data.
    await serviceDb().execute(sql`update integration_accounts set sandbox = false where id = ${accounts[fx.a.id]!}`);
    try {
      const later = await asUser(fx.a.members.sales_rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: fromSandbox }));
      expect(later).toMatchObject({ sandbox: true });
      const origin = await asUser(fx.a.members.viewer, (tx) =>
        leadSampleOrigin(tx, { workspaceId: fx.a.id, leadId: sampleLeads[0]!, leadSource: "apollo" }),
      );
      expect(origin).toEqual({ source: "apollo", created: true });
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
    // Not imported from a sandbox: the lead itself is not called sample data, only the panel's values.
    const origin = await asUser(fx.a.members.viewer, (tx) =>
      leadSampleOrigin(tx, { workspaceId: fx.a.id, leadId: sample.leadId, leadSource: "manual" }),
    );
    expect(origin).toBeNull();

    const real = await enrichLead(fx.b, fakeEnrichedPerson(3).email!);
    const panelB = await asUser(fx.b.members.viewer, (tx) => listLeadApolloEnrichments(tx, { workspaceId: fx.b.id, leadId: real.leadId }));
    expect(panelB).toHaveLength(1);
    expect(panelB[0]).toMatchObject({ outcome: "updated", sandbox: false });
    const [runB] = await serviceDb().execute<{ sandbox: boolean }>(
      sql`select sandbox from apollo_lead_enrichments where id = ${real.enrichmentId}`,
    );
    expect(runB).toEqual({ sandbox: false });
  });
});
