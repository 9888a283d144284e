import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceDb } from "@/db";
import { connectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { enrichNextApolloChunk } from "@/lib/integrations/apollo/import/enrich-import";
import { searchApolloForWorkspace } from "@/lib/integrations/apollo/import/search-for-workspace";
import { estimateApolloImport, startApolloImport } from "@/lib/integrations/apollo/import/start-apollo-import";
import { apolloCreditsThisMonth } from "@/lib/integrations/apollo/usage";
import { fakeApolloId } from "@/lib/integrations/apollo/testing/fake-people";
import { startFakeApollo, type FakeApollo } from "@/lib/integrations/apollo/testing/fake-apollo";
import { cancelLeadImport, pauseLeadImport } from "@/lib/imports/control-import";
import { getLeadImport, getLeadImportProgress } from "@/lib/imports/get-lead-import";
import type { ImportRules } from "@/lib/imports/types";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyWorkspace } from "@/tests/fixtures/tenancy";
import { runLeadImportFunction } from "../leads/run-lead-import";
import { importFromApolloFunction, markApolloImportFailed } from "./import-from-apollo";

const KEY = "apollo-import-key-0001";
const B_KEY = "apollo-import-key-0002";
const fake: FakeApollo = await startFakeApollo({ masterKeys: [KEY, B_KEY], totalEntries: 5_000 });
// Before anything reads the environment: env() is parsed once per process.
process.env.APOLLO_API_URL = fake.url;

let fx: TenancyFixture;
const accounts: Record<string, string> = {};
const SKIP: ImportRules = { onMatch: "skip", owner: { kind: "none" }, tags: ["apollo"] };
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => fakeApolloId(from + i));
const actorOf = (ws: TenancyWorkspace, role: "admin" | "sales_rep" | "viewer" = "sales_rep") => ({
  workspaceId: ws.id,
  userId: ws.members[role].id,
  role,
});
/** A text[] literal: drizzle's sql would spread a JS array into a row. */
const textArray = (values: string[]) => `{${values.join(",")}}`;
const bulkCalls = () => fake.requests.filter((r) => r.path === "/people/bulk_match");
const askedIds = () => bulkCalls().flatMap((r) => (r.body!.details as { id: string }[]).map((d) => d.id));

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  for (const [ws, key] of [
    [fx.a, KEY],
    [fx.b, B_KEY],
  ] as const) {
    const view = await asUser(ws.members.admin, (tx) =>
      connectIntegrationAccount(tx, { workspaceId: ws.id, userId: ws.members.admin.id, role: "admin" }, { vendor: "apollo", apiKey: key }),
    );
    accounts[ws.id] = view.id;
  }
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});
beforeEach(() => fake.reset());

async function start(ws: TenancyWorkspace, personIds: string[], rules = SKIP, reenrich = false) {
  const actor = actorOf(ws);
  const estimate = await asUser(ws.members.sales_rep, (tx) =>
    estimateApolloImport(tx, actor, { selection: { kind: "people", ids: personIds }, reenrich }),
  );
  const started = await asUser(ws.members.sales_rep, (tx) =>
    startApolloImport(tx, actor, { personIds, rules, reenrich, confirmedMaxCredits: estimate.maxCredits }),
  );
  return {
    estimate,
    ...started,
    ref: { workspaceId: ws.id, importId: started.importId, accountId: started.accountId, requestedBy: actor.userId },
  };
}

/** The Apollo job, then the CSV import job it hands the rows to (as the event it sends would). */
async function run(ref: { workspaceId: string; importId: string; accountId: string; requestedBy: string }) {
  const enrich = await new InngestTestEngine({
    function: importFromApolloFunction,
    events: [{ name: "integrations/apollo-import.requested", data: ref } as EventPayload],
    // The hand-over is read from the step's mock; the CSV import job is run below as that event would run it.
    steps: [{ id: "write-leads", handler: () => ({ ids: [] }) }],
  }).execute();
  if (enrich.error) return { error: enrich.error as Error };
  if ((enrich.result as { state?: string } | undefined)?.state === "stopped") return { error: new Error(JSON.stringify(enrich.result)) };
  const sent = (enrich.ctx.step.sendEvent as unknown as { mock: { calls: [string, { name: string; id: string; data: unknown }][] } }).mock
    .calls;
  expect(sent.map(([, e]) => e)).toEqual([
    {
      name: "leads/import.requested",
      id: `lead-import-${ref.importId}`,
      data: { workspaceId: ref.workspaceId, importId: ref.importId, requestedBy: ref.requestedBy },
    },
  ]);
  const write = await new InngestTestEngine({
    function: runLeadImportFunction,
    events: [
      {
        name: "leads/import.requested",
        data: { workspaceId: ref.workspaceId, importId: ref.importId, requestedBy: ref.requestedBy },
      } as EventPayload,
    ],
  }).execute();
  return { error: write.error as Error | undefined };
}

/** The Apollo job alone, run again for an import (a replay, or a duplicate event). */
function replayEnrichment(ref: { workspaceId: string; importId: string; accountId: string; requestedBy: string }) {
  return new InngestTestEngine({
    function: importFromApolloFunction,
    events: [{ name: "integrations/apollo-import.requested", data: ref } as EventPayload],
    steps: [{ id: "write-leads", handler: () => ({ ids: [] }) }],
  }).execute();
}

async function importRow(importId: string) {
  const [row] = await serviceDb().execute<{
    status: string;
    inserted: number;
    updated: number;
    skipped: number;
    failed: number;
    companies_created: number;
    credits: string;
    enrich_calls: number;
    enriched_people: number;
    reused_people: number;
  }>(sql`select i.status, i.inserted, i.updated, i.skipped, i.failed, i.companies_created,
      a.credits_consumed::text as credits, a.enrich_calls, a.enriched_people, a.reused_people
    from lead_imports i join apollo_imports a on a.import_id = i.id where i.id = ${importId}`);
  return row!;
}

describe("import and enrich from Apollo", () => {
  it("reveals 25 people in chunks of at most 10 and lands them through the CSV import's rules and counts", async () => {
    const people = ids(0, 25);
    const { estimate, ref } = await start(fx.a, people);
    expect(estimate).toMatchObject({ alreadyEnriched: 0, toEnrich: 25, maxCredits: 25, sandbox: false });
    expect(bulkCalls()).toHaveLength(0); // nothing spent before the job

    expect((await run(ref)).error).toBeUndefined();
    expect(bulkCalls().map((r) => (r.body!.details as unknown[]).length)).toEqual([10, 10, 5]);
    expect(bulkCalls().every((r) => r.apiKey === KEY)).toBe(true);
    expect(await importRow(ref.importId)).toMatchObject({
      status: "completed",
      inserted: 25,
      updated: 0,
      skipped: 0,
      failed: 0,
      credits: String(fake.creditsCharged()) + ".00",
      enrich_calls: 3,
      enriched_people: 25,
      reused_people: 0,
    });
    expect(fake.creditsCharged()).toBe(25);
    // The import page reads the same figures.
    const detail = await asUser(fx.a.members.sales_rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: ref.importId }));
    expect(detail).toMatchObject({
      preset: "apollo_api",
      inserted: 25,
      apollo: { people: 25, enrichedRows: 25, enrichedPeople: 25, reusedPeople: 0, creditsConsumed: 25 },
    });

    const leads = await serviceDb().execute<{ n: number; with_company: number; tagged: number; from_apollo: number }>(sql`
      select count(*)::int n, count(company_id)::int with_company, count(*) filter (where 'apollo' = any(tags))::int tagged,
        count(*) filter (where source = 'apollo')::int from_apollo
      from leads where workspace_id = ${fx.a.id} and apollo_person_id = any(${textArray(people)}::text[])`);
    expect(leads[0]).toEqual({ n: 25, with_company: 25, tagged: 25, from_apollo: 25 });
    const timeline = await serviceDb().execute<{ source: string; import_id: string }>(sql`
      select distinct payload->>'source' source, payload->>'importId' import_id from lead_activities
      where workspace_id = ${fx.a.id} and type = 'imported' and payload->>'importId' = ${ref.importId}`);
    expect(timeline).toEqual([{ source: "apollo", import_id: ref.importId }]);
  });

  it("the page's live progress follows the reveal phase: people revealed and credits spent so far, before any row is written", async () => {
    const people = ids(4000, 4025);
    const { ref } = await start(fx.a, people);
    const progress = () =>
      asUser(fx.a.members.sales_rep, (tx) => getLeadImportProgress(tx, { workspaceId: fx.a.id, importId: ref.importId }));
    expect(await progress()).toMatchObject({
      status: "queued",
      processedRows: 0,
      apollo: { people: 25, enrichedRows: 0, enrichedPeople: 0, creditsConsumed: 0 },
    });
    await enrichNextApolloChunk(ref);
    expect(await progress()).toMatchObject({
      status: "queued",
      processedRows: 0,
      apollo: { people: 25, enrichedRows: 10, enrichedPeople: 10, reusedPeople: 0, creditsConsumed: 10 },
    });
    // Another workspace's member reads nothing of it.
    expect(
      await asUser(fx.b.members.admin, (tx) => getLeadImportProgress(tx, { workspaceId: fx.b.id, importId: ref.importId })),
    ).toBeNull();
  });

  it("a replayed run asks Apollo for nobody again; a second import of the same people spends nothing and counts them as the rule says", async () => {
    const people = ids(0, 25);
    const first = await serviceDb().execute<{ import_id: string }>(sql`
      select import_id from apollo_imports where workspace_id = ${fx.a.id} order by created_at limit 1`);
    const replay = await replayEnrichment({
      workspaceId: fx.a.id,
      importId: first[0]!.import_id,
      accountId: accounts[fx.a.id]!,
      requestedBy: fx.a.members.sales_rep.id,
    });
    expect(replay.error).toBeUndefined();
    expect(replay.result).toEqual({ state: "stopped", reason: "The import is completed." });
    expect(bulkCalls()).toHaveLength(0);

    const { estimate, ref } = await start(fx.a, people);
    expect(estimate).toMatchObject({ alreadyEnriched: 25, toEnrich: 0, maxCredits: 0 });
    expect((await run(ref)).error).toBeUndefined();
    expect(bulkCalls()).toHaveLength(0);
    expect(await importRow(ref.importId)).toMatchObject({
      status: "completed",
      inserted: 0,
      skipped: 25,
      credits: "0.00",
      enrich_calls: 0,
      enriched_people: 0,
      reused_people: 25,
    });
    const reasons = await serviceDb().execute<{ reason: string; n: number }>(sql`
      select reason, count(*)::int n from lead_import_issues where import_id = ${ref.importId} group by reason`);
    expect(reasons).toEqual([{ reason: "exists_skip_rule", n: 25 }]);

    // Asked to reveal again: Apollo is called (and charged) once per person, and a replay of that import is not.
    const again = await start(fx.a, people.slice(0, 10), { ...SKIP, onMatch: "overwrite" }, true);
    expect(again.estimate).toMatchObject({ alreadyEnriched: 10, toEnrich: 10, maxCredits: 10 });
    expect((await run(again.ref)).error).toBeUndefined();
    expect(askedIds()).toEqual(people.slice(0, 10));
    expect((await replayEnrichment(again.ref)).error).toBeUndefined();
    expect(askedIds()).toEqual(people.slice(0, 10));
  });

  it("a 429 and 5xx answers mid-way are retried, and a step that failed is retried without asking for anyone twice or losing anyone", async () => {
    const people = ids(1000, 1030);
    const { ref } = await start(fx.a, people);
    // The second call meets a 429 with Apollo's headers, then a 503: the client waits and retries.
    fake.fail({
      path: "/people/bulk_match",
      status: 429,
      headers: { "retry-after": "0", "x-minute-requests-left": "0" },
      body: '{"message":"The maximum number of api calls allowed for api/v1/people/bulk_match is 100 times per minute."}',
    });
    await enrichNextApolloChunk(ref); // chunk 1, after the 429
    // Chunk 2: Apollo down for longer than the client retries: the step fails having written nothing.
    fake.fail(...Array.from({ length: 5 }, () => ({ path: "/people/bulk_match", status: 503, body: "Service Unavailable" })));
    await expect(enrichNextApolloChunk(ref)).rejects.toThrow(/Apollo/);
    const [mid] = await serviceDb().execute<{ rows: number; enriched: number }>(sql`
      select (select count(*)::int from lead_import_rows where import_id = ${ref.importId}) rows,
        (select count(*)::int from apollo_enriched_people where workspace_id = ${fx.a.id} and apollo_person_id = any(${textArray(people)}::text[])) enriched`);
    expect(mid).toEqual({ rows: 10, enriched: 10 });

    // The retried run picks up at chunk 2.
    expect((await run(ref)).error).toBeUndefined();
    expect([...fake.enrichments].filter(([id]) => people.includes(id)).every(([, n]) => n === 1)).toBe(true);
    expect(new Set(askedIds().filter((id) => people.includes(id)))).toEqual(new Set(people));
    expect(await importRow(ref.importId)).toMatchObject({ status: "completed", inserted: 30, credits: "30.00", enriched_people: 30 });
  });

  it("sleeps through a used-up hourly window instead of failing, and a cancelled import spends nothing more", async () => {
    const people = ids(2000, 2030);
    const { ref } = await start(fx.a, people);
    fake.fail({
      path: "/people/bulk_match",
      status: 429,
      headers: { "x-rate-limit-hourly": "600", "x-hourly-requests-left": "0" },
      body: '{"message":"The maximum number of api calls allowed for api/v1/people/bulk_match is 600 times per hour."}',
    });
    expect(await enrichNextApolloChunk(ref)).toMatchObject({ state: "wait", waitMs: 3_600_000 });
    expect(await importRow(ref.importId)).toMatchObject({ status: "queued", enrich_calls: 0, credits: "0.00" });
    await enrichNextApolloChunk(ref);

    // Still revealing: a pause is refused in words; a cancel stops the job before its next call.
    const rep = { workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, role: "sales_rep" as const };
    await expect(asUser(fx.a.members.sales_rep, (tx) => pauseLeadImport(tx, rep, ref.importId))).rejects.toThrow(
      "This import is still revealing its people in Apollo: it can be paused once it writes leads, or cancelled now (nothing more is spent).",
    );
    await asUser(fx.a.members.sales_rep, (tx) => cancelLeadImport(tx, rep, ref.importId));
    const calls = bulkCalls().length;
    expect(await replayEnrichment(ref)).toMatchObject({ result: { state: "stopped", reason: "The import is cancelled." } });
    expect(bulkCalls()).toHaveLength(calls);
    expect(await importRow(ref.importId)).toMatchObject({ status: "cancelled", enrich_calls: 1, credits: "10.00" });
  });

  it("the run sleeps through a used-up hourly window as a durable step, then reveals everyone once", async () => {
    const people = ids(3000, 3015);
    const { ref } = await start(fx.a, people);
    fake.fail({
      path: "/people/bulk_match",
      status: 429,
      headers: { "x-rate-limit-hourly": "600", "x-hourly-requests-left": "0" },
      body: '{"message":"The maximum number of api calls allowed for api/v1/people/bulk_match is 600 times per hour."}',
    });
    const outcome = await new InngestTestEngine({
      function: importFromApolloFunction,
      events: [{ name: "integrations/apollo-import.requested", data: ref } as EventPayload],
      // The hour passes at once here; the sleep asked for is read from the step's mock.
      steps: [
        { id: "write-leads", handler: () => ({ ids: [] }) },
        { id: "pace-0", handler: () => null },
      ],
    }).execute();
    expect(outcome.error).toBeUndefined();
    expect((outcome.ctx.step.sleep as unknown as { mock: { calls: unknown[] } }).mock.calls).toEqual([["pace-0", 3_600_000]]);
    expect(people.map((id) => fake.enrichments.get(id))).toEqual(people.map(() => 1));
    expect(await importRow(ref.importId)).toMatchObject({ enrich_calls: 2, enriched_people: 15, credits: "15.00" });
  });

  it("records every call on the account and keeps the organizations of the answers raw, beside the companies", async () => {
    const [account] = await serviceDb().execute<{ status: string; last_success_at: Date | null; last_error: string | null }>(sql`
      select status, last_success_at, last_error from integration_accounts where id = ${accounts[fx.a.id]!}`);
    expect(account).toMatchObject({ status: "connected", last_error: null });
    expect(account!.last_success_at).not.toBeNull();
    const orgs = await serviceDb().execute<{ id: string; name: string; fetched_at: string | null; domain: string | null }>(sql`
      select o.apollo_organization_id id, o.raw->>'name' name, o.fetched_at,
        (select c.domain from companies c where c.workspace_id = o.workspace_id and c.domain = o.raw->>'primary_domain') domain
      from apollo_organizations o where o.workspace_id = ${fx.a.id} order by 1`);
    expect(orgs.length).toBe(7);
    expect(orgs.every((o) => o.fetched_at !== null && o.domain !== null)).toBe(true);
    const [raw] = await serviceDb().execute<{ technologies: unknown }>(sql`
      select raw->'technology_names' technologies from apollo_organizations where workspace_id = ${fx.a.id} limit 1`);
    expect(raw!.technologies).toEqual(["Salesforce"]); // a field the client does not read, kept as received
    // Settings → Integrations: what Apollo reported charging this workspace's imports this month.
    // (Every charge so far was A's: B imports later.)
    expect(await asUser(fx.a.members.admin, (tx) => apolloCreditsThisMonth(tx, { workspaceId: fx.a.id }))).toBe(fake.creditsCharged());
  });

  it("an answer without its expected shape is kept raw and logged with the field, and the import fails saying why, writing nothing", async () => {
    const people = ids(4600, 4610);
    const { ref } = await start(fx.a, people);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const malformed = { status: "success", credits_consumed: 10, matches: [{ first_name: "Ana", email: "ana@example.com" }] };
    fake.fail({
      path: "/people/bulk_match",
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(malformed),
    });
    const outcome = await replayEnrichment(ref);
    const warned = warn.mock.calls.flat().join(" ");
    warn.mockRestore();
    expect((outcome.error as Error).message).toMatch(/People Enrichment answer did not have the expected shape at matches\.0\.id/);
    expect(warned).toMatch(/POST \/people\/bulk_match: unexpected answer at matches\.0\.id/);
    await markApolloImportFailed({ event: { data: { event: { data: ref } } }, error: outcome.error as Error });
    const [imp] = await serviceDb().execute<{ status: string; error: string; rows: number; people: number }>(sql`
      select i.status, i.error, (select count(*)::int from lead_import_rows r where r.import_id = i.id) rows,
        (select count(*)::int from apollo_enriched_people p where p.workspace_id = i.workspace_id and p.apollo_person_id = any(${textArray(people)}::text[])) people
      from lead_imports i where i.id = ${ref.importId}`);
    expect(imp).toMatchObject({ status: "failed", rows: 0, people: 0 });
    expect(imp!.error).toMatch(
      /^Stopped while revealing people in Apollo: Apollo's People Enrichment answer did not have the expected shape at matches\.0\.id/,
    );
    const kept = await serviceDb().execute<{ endpoint: string; field: string; body: unknown }>(sql`
      select endpoint, field, body from integration_invalid_answers where account_id = ${accounts[fx.a.id]!}`);
    expect(kept).toEqual([{ endpoint: "POST /people/bulk_match", field: "matches.0.id", body: malformed }]);
    const [account] = await serviceDb().execute<{ status: string; last_error: string }>(sql`
      select status, last_error from integration_accounts where id = ${accounts[fx.a.id]!}`);
    expect(account!.status).toBe("failing");
    expect(account!.last_error).toMatch(/^Apollo\.io: Apollo's People Enrichment answer did not have the expected shape at matches\.0\.id/);

    // The next call that works puts the account back to connected.
    const next = await start(fx.a, ids(4700, 4702));
    expect((await run(next.ref)).error).toBeUndefined();
    const [after] = await serviceDb().execute<{ status: string; last_error: string | null }>(sql`
      select status, last_error from integration_accounts where id = ${accounts[fx.a.id]!}`);
    expect(after).toEqual({ status: "connected", last_error: null });
  });

  it("keeps workspaces apart: B's import of the same people spends B's key, and B's ids never reach A's import", async () => {
    const people = ids(0, 10);
    const { ref } = await start(fx.b, people);
    expect((await run(ref)).error).toBeUndefined();
    expect(bulkCalls().map((r) => r.apiKey)).toEqual([B_KEY]);
    expect(await importRow(ref.importId)).toMatchObject({ inserted: 10, enriched_people: 10 });

    fake.reset();
    const [aImport] = await serviceDb().execute<{ import_id: string; enriched_rows: number }>(sql`
      select import_id, enriched_rows from apollo_imports where workspace_id = ${fx.a.id} order by created_at limit 1`);
    const crossed = await enrichNextApolloChunk({ ...ref, importId: aImport!.import_id });
    expect(crossed).toEqual({ state: "stopped", reason: "The import was deleted." });
    expect(bulkCalls()).toHaveLength(0);
    const leadsOfA = await serviceDb().execute<{ n: number }>(sql`
      select count(*)::int n from leads where workspace_id = ${fx.a.id} and apollo_person_id = any(${textArray(people)}::text[])`);
    expect(leadsOfA[0]!.n).toBe(10);
    // What B's rep may read of Apollo enrichments is B's alone.
    const seen = await asUser(fx.b.members.sales_rep, (tx) =>
      tx.execute<{ workspace_id: string }>(sql`select distinct workspace_id from apollo_enriched_people`),
    );
    expect(seen.map((r) => r.workspace_id)).toEqual([fx.b.id]);
  });

  it("refuses a viewer with a message they can act on, before anything is asked of Apollo", async () => {
    const viewer = actorOf(fx.a, "viewer");
    const message = "Your role can read leads but not search Apollo or import from it. Ask a manager or an admin.";
    await expect(
      asUser(fx.a.members.viewer, (tx) => searchApolloForWorkspace(tx, viewer, { filters: {} as never, page: 1 })),
    ).rejects.toThrow(message);
    await expect(
      asUser(fx.a.members.viewer, (tx) =>
        estimateApolloImport(tx, viewer, { selection: { kind: "people", ids: ids(0, 2) }, reenrich: false }),
      ),
    ).rejects.toThrow(message);
    await expect(
      asUser(fx.a.members.viewer, (tx) =>
        startApolloImport(tx, viewer, { personIds: ids(0, 2), rules: SKIP, reenrich: false, confirmedMaxCredits: 2 }),
      ),
    ).rejects.toThrow(message);
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses to start when the confirmed estimate is lower than what the import can now cost", async () => {
    const actor = actorOf(fx.a);
    await expect(
      asUser(fx.a.members.sales_rep, (tx) =>
        startApolloImport(tx, actor, { personIds: ids(300, 305), rules: SKIP, reenrich: false, confirmedMaxCredits: 3 }),
      ),
    ).rejects.toThrow("This import can now cost up to 5 credits, more than the 3 you confirmed: check the estimate again.");
  });

  it("searches a page of 25 and estimates the first N matching with the free search", async () => {
    const actor = actorOf(fx.a);
    const page = await asUser(fx.a.members.sales_rep, (tx) =>
      searchApolloForWorkspace(tx, actor, {
        filters: { titles: ["CTO"], seniorities: [], locations: [], organizationDomains: [], employeeRanges: [] },
        page: 3,
      }),
    );
    expect(page).toMatchObject({ page: 3, perPage: 25, totalEntries: 5_000, lastPage: 200, sandbox: false });
    expect(page.people[0]!.id).toBe(fakeApolloId(50));
    const estimate = await asUser(fx.a.members.sales_rep, (tx) =>
      estimateApolloImport(tx, actor, { selection: { kind: "first", filters: { titles: ["CTO"] } as never, count: 150 }, reenrich: false }),
    );
    expect(estimate.personIds).toEqual(ids(0, 150));
    expect(estimate).toMatchObject({ alreadyEnriched: 25, toEnrich: 125, maxCredits: 125 });
    expect(bulkCalls()).toHaveLength(0);
  });

  it("answers a search that meets Apollo's minute limit at once, saying so, instead of holding the page while it waits", async () => {
    const actor = actorOf(fx.a);
    const limited = {
      path: "/mixed_people/api_search",
      status: 429,
      headers: { "retry-after": "45", "content-type": "application/json" },
      body: JSON.stringify({
        message: "The maximum number of api calls allowed for api/v1/mixed_people/api_search is 200 times per minute.",
      }),
    };
    fake.fail(limited);
    const began = Date.now();
    const refused = await asUser(fx.a.members.sales_rep, (tx) =>
      searchApolloForWorkspace(tx, actor, {
        filters: { titles: [], seniorities: [], locations: [], organizationDomains: [], employeeRanges: [] },
        page: 1,
      }),
    ).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/200 times per minute/) });
    // Asked once: a job would wait the 45 s out, a page does not.
    expect(fake.requests.filter((r) => r.path === "/mixed_people/api_search")).toHaveLength(1);
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  it("a page's call records on the account too: a refused search marks it failing with Apollo's reason, the next one clears it", async () => {
    const actor = actorOf(fx.b);
    const search = () =>
      asUser(fx.b.members.sales_rep, (tx) =>
        searchApolloForWorkspace(tx, actor, {
          filters: { titles: [], seniorities: [], locations: [], organizationDomains: [], employeeRanges: [] },
          page: 1,
        }),
      );
    const status = async () =>
      (
        await serviceDb().execute<{ status: string; last_error: string | null }>(sql`
          select status, last_error from integration_accounts where id = ${accounts[fx.b.id]!}`)
      )[0];
    fake.fail({
      path: "/mixed_people/api_search",
      status: 401,
      headers: { "content-type": "text/plain" },
      body: "Invalid access credentials.",
    });
    await expect(search()).rejects.toThrow(/Apollo refused the API key/);
    expect(await status()).toMatchObject({
      status: "failing",
      last_error: expect.stringMatching(/^Apollo\.io: Apollo refused the API key/),
    });
    await search();
    expect(await status()).toEqual({ status: "connected", last_error: null });
  });
});
