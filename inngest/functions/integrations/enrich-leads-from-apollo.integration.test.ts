import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceDb } from "@/db";
import { pgArray } from "@/db/pg-array";
import { connectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { enrichNextLeadChunk } from "@/lib/integrations/apollo/enrich-leads/enrich-lead-chunk";
import { listLeadApolloEnrichments } from "@/lib/integrations/apollo/enrich-leads/read-lead-enrichments";
import { estimateLeadEnrichment, startLeadEnrichment } from "@/lib/integrations/apollo/enrich-leads/start-lead-enrichment";
import { startFakeApollo, type FakeApollo } from "@/lib/integrations/apollo/testing/fake-apollo";
import { fakeApolloId, fakeEnrichedPerson } from "@/lib/integrations/apollo/testing/fake-people";
import { apolloCreditsThisMonth } from "@/lib/integrations/apollo/usage";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { systemFunctionId } from "@/lib/jobs/app-id";
import { recordCancelledRun } from "../jobs/record-cancelled-run";
import { enrichLeadsFromApolloFunction, markLeadEnrichmentFailed } from "./enrich-leads-from-apollo";

const KEY = "apollo-enrich-key-0001";
const fake: FakeApollo = await startFakeApollo({ keys: [KEY], totalEntries: 5_000 });
process.env.APOLLO_API_URL = fake.url;

let fx: TenancyFixture;
let accountId: string;
const rep = () => ({ workspaceId: fx.a.id, userId: fx.a.members.sales_rep.id, role: "sales_rep" as const });
const bulkCalls = () => fake.requests.filter((r) => r.path === "/people/bulk_match");
const askedDetails = () => bulkCalls().flatMap((r) => r.body!.details as Record<string, string>[]);

type NewLead = { email?: string; linkedin?: string; first?: string; last?: string; title?: string; companyDomain?: string; owner?: string };

/** Leads as a rep would have them, written directly (the enrichment reads what is there). */
async function insertLeads(rows: NewLead[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of rows) {
    let companyId: string | null = null;
    if (r.companyDomain) {
      const [c] = await serviceDb().execute<{ id: string }>(sql`
        insert into companies (workspace_id, name, domain) values (${fx.a.id}, ${r.companyDomain}, ${r.companyDomain})
        on conflict (workspace_id, domain) where domain is not null do update set name = excluded.name returning id`);
      companyId = c!.id;
    }
    const [lead] = await serviceDb().execute<{ id: string }>(sql`
      insert into leads (workspace_id, email, linkedin_url, first_name, last_name, title, company_id, owner_id)
      values (${fx.a.id}, ${r.email ?? null}, ${r.linkedin ?? null}, ${r.first ?? null}, ${r.last ?? null}, ${r.title ?? null},
        ${companyId}, ${r.owner ?? null}) returning id`);
    ids.push(lead!.id);
  }
  return ids;
}

async function lead(id: string) {
  const [row] = await serviceDb().execute<{
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    title: string | null;
    city: string | null;
    apollo_person_id: string | null;
    company: string | null;
  }>(sql`select l.first_name, l.last_name, l.email, l.title, l.city, l.apollo_person_id, c.domain company
    from leads l left join companies c on c.id = l.company_id where l.id = ${id}`);
  return row!;
}

async function runOf(enrichmentId: string) {
  const [row] = await serviceDb().execute<{
    status: string;
    credits: string;
    enrich_calls: number;
    revealed_people: number;
    reused_people: number;
    updated_leads: number;
    not_found: number;
    skipped_leads: number;
    error: string | null;
  }>(sql`select status, credits_consumed::text credits, enrich_calls, revealed_people, reused_people, updated_leads, not_found,
      skipped_leads, error from apollo_lead_enrichments where id = ${enrichmentId}`);
  return row!;
}

async function start(leadIds: string[], mode: "fill_empty" | "overwrite" = "fill_empty", reenrich = false) {
  const estimate = await asUser(fx.a.members.sales_rep, (tx) =>
    estimateLeadEnrichment(tx, rep(), { selection: { ids: leadIds }, reenrich }),
  );
  const started = await asUser(fx.a.members.sales_rep, (tx) =>
    startLeadEnrichment(tx, rep(), { selection: { ids: leadIds }, mode, reenrich, confirmedMaxCredits: estimate.maxCredits }),
  );
  const ref = { workspaceId: fx.a.id, enrichmentId: started.enrichmentId, accountId, requestedBy: fx.a.members.sales_rep.id };
  return { estimate, started, ref };
}

const run = (ref: { workspaceId: string; enrichmentId: string; accountId: string; requestedBy: string }) =>
  new InngestTestEngine({
    function: enrichLeadsFromApolloFunction,
    events: [{ name: "integrations/apollo-lead-enrichment.requested", data: ref } as EventPayload],
  }).execute();

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  const view = await asUser(fx.a.members.admin, (tx) =>
    connectIntegrationAccount(
      tx,
      { workspaceId: fx.a.id, userId: fx.a.members.admin.id, role: "admin" },
      { vendor: "apollo", apiKey: KEY },
    ),
  );
  accountId = view.id;
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});
beforeEach(() => fake.reset());

const person = (n: number) => fakeEnrichedPerson(n);
let first: { ids: string[]; enrichmentId: string };

describe("enrich existing leads with Apollo", () => {
  it("shows the credits first, then matches by email, LinkedIn URL or name + domain in chunks of at most 10, filling empty fields only", async () => {
    const p1 = person(10);
    const ids = await insertLeads([
      { email: p1.email, title: "Our own title" },
      { linkedin: person(11).linkedin_url.replace("http://", "https://") },
      { first: person(12).first_name, last: person(12).last_name, companyDomain: person(12).organization.primary_domain },
      { email: "nobody@nowhere.example" },
      { first: "Solo" },
      ...Array.from({ length: 20 }, (_, i) => ({ email: person(20 + i).email })),
    ]);
    const estimate = await asUser(fx.a.members.sales_rep, (tx) =>
      estimateLeadEnrichment(tx, rep(), { selection: { ids }, reenrich: false }),
    );
    expect(estimate).toEqual({ leads: 25, notPermitted: 0, unmatchable: 1, alreadyRevealed: 0, toAsk: 24, maxCredits: 24, sandbox: false });
    expect(fake.requests).toHaveLength(0); // nothing asked, nothing spent, before the person confirms

    const { ref } = await start(ids);
    const outcome = await run(ref);
    expect(outcome.error).toBeUndefined();
    expect(bulkCalls().every((r) => (r.body!.details as unknown[]).length <= 10)).toBe(true);
    expect(askedDetails()).toHaveLength(24);
    expect(bulkCalls().length).toBeGreaterThanOrEqual(3);
    expect(askedDetails()).toContainEqual(
      expect.objectContaining({
        first_name: person(12).first_name,
        last_name: person(12).last_name,
        domain: person(12).organization.primary_domain,
      }),
    );
    expect(askedDetails()).toContainEqual({ linkedin_url: "https://www.linkedin.com/in/luca-orsted-11" });
    expect(fake.creditsCharged()).toBe(23); // 24 asked, the unknown address matched nobody (no credit)
    const r = await runOf(ref.enrichmentId);
    expect(r).toMatchObject({ status: "completed", not_found: 1, skipped_leads: 1, credits: `${fake.creditsCharged()}.00` });

    // Fill empty: the rep's own title stays, the empty fields are filled, the company is Apollo's.
    expect(await lead(ids[0]!)).toMatchObject({
      title: "Our own title",
      first_name: p1.first_name,
      last_name: p1.last_name,
      city: "Lyon",
      apollo_person_id: p1.id,
      company: p1.organization.primary_domain,
    });
    expect(await lead(ids[1]!)).toMatchObject({ email: person(11).email, apollo_person_id: person(11).id });
    expect(await lead(ids[2]!)).toMatchObject({ email: person(12).email, apollo_person_id: person(12).id });
    expect(await lead(ids[3]!)).toMatchObject({ apollo_person_id: null, title: null });

    // The panel: what came from Apollo, what was written, and when; readable by any member (a viewer too).
    const panel = await asUser(fx.a.members.viewer, (tx) => listLeadApolloEnrichments(tx, { workspaceId: fx.a.id, leadId: ids[0]! }));
    expect(panel).toHaveLength(1);
    expect(panel[0]).toMatchObject({ mode: "fill_empty", outcome: "updated", apolloPersonId: p1.id });
    expect(panel[0]!.fields).toMatchObject({ title: p1.title, email: p1.email, company: p1.organization.name });
    expect(panel[0]!.changed).toEqual(expect.arrayContaining(["first_name", "last_name", "city", "country", "company"]));
    expect(panel[0]!.changed).not.toContain("title");
    expect(panel[0]!.enrichedAt).toBeInstanceOf(Date);
    const timeline = await serviceDb().execute<{ provider: string }>(sql`
      select payload->>'provider' provider from lead_activities where lead_id = ${ids[0]!} and type = 'enriched'`);
    expect(timeline).toEqual([{ provider: "Apollo" }]);
    // The raw layer: the person and their organization as Apollo sent them.
    const [raw] = await serviceDb().execute<{ person: Record<string, unknown>; org: Record<string, unknown> }>(sql`
      select p.person, o.raw org from apollo_enriched_people p
      join apollo_organizations o on o.workspace_id = p.workspace_id and o.apollo_organization_id = p.person->'organization'->>'id'
      where p.workspace_id = ${fx.a.id} and p.apollo_person_id = ${p1.id}`);
    expect(raw!.person).toEqual(p1);
    expect(raw!.org).toEqual(p1.organization);
    expect(await asUser(fx.a.members.admin, (tx) => apolloCreditsThisMonth(tx, { workspaceId: fx.a.id }))).toBe(fake.creditsCharged());
    first = { ids, enrichmentId: ref.enrichmentId };
  });

  it("a replay asks Apollo for nobody again; enriching the same leads again reuses what was revealed without a credit, and overwrite replaces the rep's values", async () => {
    const replay = await run({ workspaceId: fx.a.id, enrichmentId: first.enrichmentId, accountId, requestedBy: fx.a.members.sales_rep.id });
    expect(replay.result).toEqual({ state: "stopped", reason: "The enrichment is completed." });
    expect(bulkCalls()).toHaveLength(0);

    const { estimate, ref } = await start(first.ids, "overwrite");
    // 23 revealed before and reused; only the unknown address is asked again (Apollo charges nothing for no match).
    expect(estimate).toMatchObject({ leads: 25, unmatchable: 1, alreadyRevealed: 23, toAsk: 1, maxCredits: 1 });
    expect((await run(ref)).error).toBeUndefined();
    expect(askedDetails()).toEqual([{ email: "nobody@nowhere.example" }]);
    expect(await runOf(ref.enrichmentId)).toMatchObject({ status: "completed", credits: "0.00", reused_people: 23, revealed_people: 0 });
    expect(await lead(first.ids[0]!)).toMatchObject({ title: person(10).title }); // overwritten
    const panel = await asUser(fx.a.members.sales_rep, (tx) =>
      listLeadApolloEnrichments(tx, { workspaceId: fx.a.id, leadId: first.ids[0]! }),
    );
    expect(panel.map((p) => [p.mode, p.changed])).toEqual([
      ["overwrite", ["title"]],
      ["fill_empty", expect.arrayContaining(["first_name"])],
    ]);

    // Asked to reveal again: Apollo is asked (and charges) once per person; a replay of that run is not.
    const again = await start(first.ids.slice(5, 15), "fill_empty", true);
    expect(again.estimate).toMatchObject({ alreadyRevealed: 0, toAsk: 10, maxCredits: 10 });
    expect((await run(again.ref)).error).toBeUndefined();
    expect(askedDetails().slice(1)).toHaveLength(10);
    expect(
      askedDetails()
        .slice(1)
        .every((d) => typeof d.id === "string"),
    ).toBe(true); // by the Apollo id now known
    const calls = bulkCalls().length;
    expect((await run(again.ref)).result).toEqual({ state: "stopped", reason: "The enrichment is completed." });
    expect(bulkCalls()).toHaveLength(calls);
  });

  it("a 5xx outage mid-way fails the step having written nothing; the retried run asks for nobody twice", async () => {
    const ids = await insertLeads(Array.from({ length: 25 }, (_, i) => ({ email: person(100 + i).email })));
    const { ref } = await start(ids);
    await enrichNextLeadChunk(ref);
    fake.fail(...Array.from({ length: 5 }, () => ({ path: "/people/bulk_match", status: 503, body: "Service Unavailable" })));
    await expect(enrichNextLeadChunk(ref)).rejects.toThrow(/Apollo/);
    expect(await runOf(ref.enrichmentId)).toMatchObject({ status: "running", updated_leads: 10 });
    expect((await run(ref)).error).toBeUndefined();
    const people = Array.from({ length: 25 }, (_, i) => fakeApolloId(100 + i));
    expect(people.map((id) => fake.enrichments.get(id))).toEqual(people.map(() => 1));
    expect(await runOf(ref.enrichmentId)).toMatchObject({ status: "completed", updated_leads: 25, credits: "25.00", enrich_calls: 3 });
  });

  it("an answer without its expected shape is kept raw, and the run fails saying which field, changing no lead", async () => {
    const ids = await insertLeads(Array.from({ length: 3 }, (_, i) => ({ email: person(200 + i).email })));
    const { ref } = await start(ids);
    const malformed = { credits_consumed: "three", matches: [person(200), person(201), person(202)] };
    fake.fail({
      path: "/people/bulk_match",
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(malformed),
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const outcome = await run(ref);
    const warned = warn.mock.calls.flat().join(" ");
    warn.mockRestore();
    expect(warned).toMatch(/unexpected answer at credits_consumed/);
    await markLeadEnrichmentFailed({ event: { data: { event: { data: ref } } }, error: outcome.error as Error });
    const r = await runOf(ref.enrichmentId);
    expect(r).toMatchObject({ status: "failed", updated_leads: 0, credits: "0.00" });
    expect(r.error).toMatch(
      /^Stopped while enriching with Apollo: Apollo's People Enrichment answer did not have the expected shape at credits_consumed/,
    );
    for (const id of ids) expect(await lead(id)).toMatchObject({ first_name: null, apollo_person_id: null });
    const [panelRows] = await serviceDb().execute<{ n: number }>(sql`
      select count(*)::int n from lead_apollo_enrichments where lead_id = any(${pgArray(ids)}::uuid[])`);
    expect(panelRows!.n).toBe(0);
    const kept = await serviceDb().execute<{ field: string; body: unknown }>(sql`
      select field, body from integration_invalid_answers where account_id = ${accountId} order by received_at desc limit 1`);
    expect(kept).toEqual([{ field: "credits_consumed", body: malformed }]);
  });

  it("stores a person whose text is longer than a lead holds or carries a NUL, clipped, and buys nobody twice", async () => {
    const ids = await insertLeads([{ email: person(250).email }]);
    const { ref } = await start(ids);
    const p = person(250);
    const odd = {
      ...p,
      title: `Head of ${"Growth ".repeat(60)}`,
      city: "Lyon\u0000",
      organization: { ...p.organization, name: `${"Very Long Holding ".repeat(20)}SA` },
    };
    fake.fail({
      path: "/people/bulk_match",
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "success", credits_consumed: 1, matches: [odd] }),
    });
    // Unclipped, the company's name broke companies_name_length, which rolled the chunk back; each retry bought the person again.
    expect((await run(ref)).error).toBeUndefined();
    expect(bulkCalls()).toHaveLength(1);
    const stored = await lead(ids[0]!);
    expect(stored.title).toHaveLength(200);
    expect(stored.city).toBe("Lyon");
    const [company] = await serviceDb().execute<{ name: string }>(sql`
      select c.name from leads l join companies c on c.id = l.company_id where l.id = ${ids[0]!}`);
    expect(company!.name.length).toBeLessThanOrEqual(300);
    expect(await runOf(ref.enrichmentId)).toMatchObject({ status: "completed", updated_leads: 1 });
  });

  it("keeps a paid answer whose fields have odd values: those fields are left empty, the rest stored, and nobody is bought twice", async () => {
    const ids = await insertLeads([{ email: person(260).email }, { email: person(261).email }, { email: person(262).email }]);
    const { ref } = await start(ids);
    const [a, b] = [person(260), person(261)];
    const answer = {
      status: "success",
      credits_consumed: 2,
      matches: [
        { ...a, city: 75002, title: ["Head of Sales"], organization: { ...a.organization, estimated_num_employees: "51-200" } },
        { ...b, organization: "Acme", seniority: { level: "vp" } },
        // Fewer entries than asked: the matches are placed by address, whatever order the leads were asked in.
      ],
    };
    fake.fail({ path: "/people/bulk_match", status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(answer) });
    expect((await run(ref)).error).toBeUndefined();
    expect(bulkCalls()).toHaveLength(1);
    expect(await lead(ids[0]!)).toMatchObject({ first_name: a.first_name, city: null, title: null, apollo_person_id: a.id });
    expect(await lead(ids[1]!)).toMatchObject({ first_name: b.first_name, apollo_person_id: b.id });
    expect(await lead(ids[2]!)).toMatchObject({ first_name: null, apollo_person_id: null });
    expect(await runOf(ref.enrichmentId)).toMatchObject({ status: "completed", updated_leads: 2, not_found: 1, credits: "2.00" });
  });

  it("stays failed when its job run is cancelled (Jobs page) while a chunk waits on Apollo", async () => {
    const ids = await insertLeads([{ email: person(270).email }]);
    const { ref } = await start(ids);
    fake.fail({ path: "/people/bulk_match", hangMs: 2_000 });
    const chunk = enrichNextLeadChunk(ref);
    await vi.waitFor(() => expect(bulkCalls()).toHaveLength(1), { timeout: 5_000 });
    // What record-cancelled-run does for the cancelled run, while the chunk's call is in flight.
    await recordCancelledRun({
      event: {
        data: {
          function_id: systemFunctionId("enrich-leads-from-apollo"),
          run_id: "cancelled-run",
          event: { name: "integrations/apollo-lead-enrichment.requested", data: ref },
        },
      },
    });
    await chunk;
    const r = await runOf(ref.enrichmentId);
    expect(r).toMatchObject({ status: "failed", enrich_calls: 1 });
    expect(r.error).toMatch(/the job was cancelled \(on the Jobs page, or in Inngest\) before it finished/);
  });

  it("leaves other reps' leads alone, refuses a viewer before anything is asked, and a start costing more than confirmed", async () => {
    const [theirs, mine] = await insertLeads([{ email: person(300).email, owner: fx.a.members.manager.id }, { email: person(301).email }]);
    const estimate = await asUser(fx.a.members.sales_rep, (tx) =>
      estimateLeadEnrichment(tx, rep(), { selection: { ids: [theirs!, mine!] }, reenrich: false }),
    );
    expect(estimate).toMatchObject({ leads: 2, notPermitted: 1, toAsk: 1, maxCredits: 1 });
    await expect(
      asUser(fx.a.members.sales_rep, (tx) =>
        startLeadEnrichment(tx, rep(), {
          selection: { ids: [theirs!, mine!] },
          mode: "fill_empty",
          reenrich: false,
          confirmedMaxCredits: 0,
        }),
      ),
    ).rejects.toThrow("This enrichment can now cost up to 1 credits, more than the 0 you confirmed: check the estimate again.");
    const viewer = { workspaceId: fx.a.id, userId: fx.a.members.viewer.id, role: "viewer" as const };
    await expect(
      asUser(fx.a.members.viewer, (tx) => estimateLeadEnrichment(tx, viewer, { selection: { ids: [mine!] }, reenrich: false })),
    ).rejects.toThrow("Your role can read leads but not enrich them. Ask a sales rep, a manager or an admin.");
    // Workspace B's rep cannot reach A's leads: they are not in B.
    const bRep = { workspaceId: fx.b.id, userId: fx.b.members.sales_rep.id, role: "sales_rep" as const };
    await expect(
      asUser(fx.b.members.sales_rep, (tx) => estimateLeadEnrichment(tx, bRep, { selection: { ids: [mine!] }, reenrich: false })),
    ).rejects.toThrow(/Apollo is not connected|not live in this workspace/);
    expect(fake.requests).toHaveLength(0);
  });
});
