import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaigns } from "@/db/schema";
import { getAnalytics } from "@/lib/analytics/get-analytics";
import { headlineOf } from "@/lib/analytics/headline";
import { callApi } from "@/tests/fixtures/api-client";
import { createDemotedTestApiKey, createTestApiKeys, type TestApiKey, type TestApiKeys } from "@/tests/fixtures/api-keys";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createRunningCampaign, enrollLeads, insertMessage, type RunningCampaign } from "@/tests/fixtures/running-campaign";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { claimsFor, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

let fx: TenancyFixture;
let keys: TestApiKeys;
/** A write key whose creator is now a viewer: the route's own permission check refuses it. */
let demotedKey: TestApiKey;
let running: RunningCampaign;
let draftA: string;
let pendingA: string;
let filterDraftA: string;
let campaignB: string;
let leadsA: string[];
let leadB: string;

const audienceOf = async (id: string) =>
  (await serviceDb().select({ audience: campaigns.audience, status: campaigns.status }).from(campaigns).where(eq(campaigns.id, id)))[0];

async function draftOfPickedLeads(ws: { id: string }, ownerId: string, name: string, ids: string[]): Promise<string> {
  const [row] = await serviceDb()
    .insert(campaigns)
    .values({ workspaceId: ws.id, ownerId, name, audience: { kind: "ids", ids } })
    .returning({ id: campaigns.id });
  return row!.id;
}

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  keys = await createTestApiKeys(fx);
  demotedKey = await createDemotedTestApiKey(fx.a, "viewer");

  leadsA = [];
  for (let i = 0; i < 4; i++) leadsA.push(await insertTestLead(fx.a, { email: `camp-${i}-${fx.a.slug}@example.com` }));
  leadB = await insertTestLead(fx.b, { email: `camp-${fx.b.slug}@example.com` });

  running = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Running intro" });
  const [e0, e1, e2] = await enrollLeads(fx.a.id, running, leadsA.slice(0, 3));
  const now = new Date();
  await insertMessage(fx.a.id, running, { enrollmentId: e0!, leadId: leadsA[0]!, position: 1, variant: "A", funnel: { replied_at: now } });
  await insertMessage(fx.a.id, running, {
    enrollmentId: e1!,
    leadId: leadsA[1]!,
    position: 1,
    variant: "B",
    funnel: { delivered_at: now },
  });
  await insertMessage(fx.a.id, running, { enrollmentId: e2!, leadId: leadsA[2]!, position: 1, variant: "A", status: "failed" });

  draftA = await draftOfPickedLeads(fx.a, fx.a.members.sales_rep.id, "Picked draft", [leadsA[0]!]);
  pendingA = await draftOfPickedLeads(fx.a, fx.a.members.sales_rep.id, "Awaiting approval", [leadsA[0]!]);
  await serviceDb().update(campaigns).set({ status: "pending_approval", submittedAt: new Date() }).where(eq(campaigns.id, pendingA));
  filterDraftA = (await createTestCampaign(fx.a.id, fx.a.members.sales_rep, { name: "Filtered draft", submit: false })).campaignId;
  campaignB = await draftOfPickedLeads(fx.b, fx.b.members.admin.id, "Globex draft", [leadB]);
});

afterAll(async () => {
  await removeTenancyFixture(fx, serviceDb());
});

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; fields?: Record<string, string[]> } };
  return { status: response.status, code: body.error.code, message: body.error.message, fields: body.error.fields };
}

type Endpoint = {
  name: string;
  method: string;
  path: () => string;
  write: boolean;
  /** Needs analytics.read: a read key (an analyst) has it, a creator demoted to viewer has not. */
  analytics?: boolean;
  body?: () => unknown;
  foreign?: { path: () => string; state: () => Promise<unknown> };
};
const ENDPOINTS: Endpoint[] = [
  { name: "list campaigns", method: "GET", path: () => "/api/v1/campaigns", write: false },
  {
    name: "get a campaign",
    method: "GET",
    path: () => `/api/v1/campaigns/${running.campaignId}`,
    write: false,
    foreign: { path: () => `/api/v1/campaigns/${campaignB}`, state: () => audienceOf(campaignB) },
  },
  {
    name: "add leads to a draft",
    method: "POST",
    path: () => `/api/v1/campaigns/${draftA}/leads`,
    write: true,
    body: () => ({ leadIds: [leadsA[3]!] }),
    foreign: { path: () => `/api/v1/campaigns/${campaignB}/leads`, state: () => audienceOf(campaignB) },
  },
  { name: "analytics headline", method: "GET", path: () => "/api/v1/analytics/headline", write: false, analytics: true },
  { name: "analytics funnel", method: "GET", path: () => "/api/v1/analytics/funnel", write: false, analytics: true },
];

describe.each(ENDPOINTS)("$name refuses", (endpoint) => {
  const call = (key: string | null, path = endpoint.path()) => callApi(endpoint.method, path, { key, body: endpoint.body?.() });

  it("no key (401)", async () => {
    expect(await errorOf(await call(null))).toMatchObject({ status: 401, code: "missing_api_key" });
  });
  it("a revoked key (401)", async () => {
    expect(await errorOf(await call(keys.revoked.secret))).toMatchObject({ status: 401, code: "api_key_revoked" });
  });
  it("an expired key (401)", async () => {
    expect(await errorOf(await call(keys.expired.secret))).toMatchObject({ status: 401, code: "api_key_expired" });
  });
  it("a key over its rate limit (429 with Retry-After)", async () => {
    const response = await call(keys.limited.secret);
    expect(await errorOf(response)).toMatchObject({ status: 429, code: "rate_limited" });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });
  if (endpoint.write) {
    it("a read key (403 insufficient_scope), changing nothing", async () => {
      const before = await audienceOf(draftA);
      expect(await errorOf(await call(keys.read.secret))).toMatchObject({ status: 403, code: "insufficient_scope" });
      expect(await audienceOf(draftA)).toEqual(before);
    });
  }
  if (!endpoint.write) {
    it("answers a read key", async () => {
      expect((await call(keys.read.secret)).status).toBe(200);
    });
  }
  it("a key whose creator was demoted below the operation's role (403 from the route, before any service)", async () => {
    if (!endpoint.write && !endpoint.analytics) return expect((await call(demotedKey.secret)).status).toBe(200);
    expect(await errorOf(await call(demotedKey.secret))).toMatchObject({
      status: 403,
      code: "forbidden",
      message: "This API key's role does not allow this.",
    });
  });
  const { foreign } = endpoint;
  if (foreign) {
    it("another workspace's campaign (404), leaving it as it was", async () => {
      const before = await foreign.state();
      expect(await errorOf(await call(keys.write.secret, foreign.path()))).toMatchObject({ status: 404, code: "not_found" });
      expect(await foreign.state()).toEqual(before);
    });
    it("an id that is no id (404)", async () => {
      const path = foreign.path().replace(campaignB, "not-an-id");
      expect(await errorOf(await call(keys.write.secret, path))).toMatchObject({ status: 404, code: "not_found" });
    });
  }
});

describe("campaigns through the API", () => {
  it("lists the workspace's campaigns with their figures, filtered by status, and none of another workspace", async () => {
    const response = await callApi("GET", "/api/v1/campaigns", { key: keys.read.secret });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { id: string; status: string; audience: unknown; stats: { enrollments: unknown; emails: Record<string, number> } }[];
    };
    expect(data.map((c) => c.id).sort()).toEqual([running.campaignId, draftA, pendingA, filterDraftA].sort());
    const row = data.find((c) => c.id === running.campaignId)!;
    expect(row.stats.enrollments).toEqual({ active: 3, completed: 0, stopped: 0, skipped: 0, total: 3 });
    expect(row.stats.emails).toMatchObject({ sent: 2, failed: 1, replied: 1, delivered: 1, bounced: 0 });
    expect(data.find((c) => c.id === draftA)!.audience).toEqual({ kind: "ids", leadCount: 1, query: null, viewName: null });

    const filtered = await callApi("GET", "/api/v1/campaigns", { key: keys.read.secret, query: { status: "running,paused" } });
    expect(((await filtered.json()) as { data: { id: string }[] }).data.map((c) => c.id)).toEqual([running.campaignId]);
    const other = await callApi("GET", "/api/v1/campaigns", { key: keys.otherWorkspace.secret });
    expect(((await other.json()) as { data: { id: string }[] }).data.map((c) => c.id)).toEqual([campaignB]);
  });

  it("gets a campaign with its steps, figures and funnel per step and variant", async () => {
    const response = await callApi("GET", `/api/v1/campaigns/${running.campaignId}`, { key: keys.read.secret });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { status: string; steps: { position: number; variants: { label: string }[] }[]; funnel: Record<string, unknown>[] };
    };
    expect(data.status).toBe("running");
    expect(data.steps.map((s) => [s.position, s.variants.map((v) => v.label)])).toEqual([
      [1, ["A", "B"]],
      [2, ["A"]],
    ]);
    expect(data.funnel).toEqual([
      expect.objectContaining({ stepPosition: 1, variantLabel: "A", sent: 1, replied: 1 }),
      expect.objectContaining({ stepPosition: 1, variantLabel: "B", sent: 1, delivered: 1, replied: 0 }),
      expect.objectContaining({ stepPosition: 2, variantLabel: "A", sent: 0 }),
    ]);
  });

  it("adds leads to a draft once each, names the ids that are no lead of the workspace, and notes the key in the audit log", async () => {
    const response = await callApi("POST", `/api/v1/campaigns/${draftA}/leads`, {
      key: keys.write.secret,
      body: { leadIds: [leadsA[0]!, leadsA[1]!, leadB, leadsA[1]!] },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown }).data).toEqual({ added: 1, total: 2, unknown: [leadB] });
    expect(await audienceOf(draftA)).toEqual({ status: "draft", audience: { kind: "ids", ids: [leadsA[0]!, leadsA[1]!] } });
    const [audit] = await serviceDb().execute<{ n: number }>(sql`
      select count(*)::int as n from public.audit_log where workspace_id = ${fx.a.id} and action = 'api_key.used'
        and target_id = ${keys.write.id} and metadata->>'operation' = 'addCampaignLeads' and metadata->>'resourceId' = ${draftA}`);
    expect(audit?.n).toBe(1);
  });

  it("refuses a campaign that is not a draft (409), leaving it awaiting approval with its audience", async () => {
    const before = await audienceOf(pendingA);
    const response = await callApi("POST", `/api/v1/campaigns/${pendingA}/leads`, {
      key: keys.write.secret,
      body: { leadIds: [leadsA[2]!] },
    });
    expect(await errorOf(response)).toMatchObject({
      status: 409,
      code: "conflict",
      message: expect.stringContaining("awaiting approval: leads can be added here only to a draft"),
    });
    expect(await audienceOf(pendingA)).toEqual(before);
    expect(before?.status).toBe("pending_approval");
    const sending = await callApi("POST", `/api/v1/campaigns/${running.campaignId}/leads`, {
      key: keys.write.secret,
      body: { leadIds: [leadsA[2]!] },
    });
    expect(await errorOf(sending)).toMatchObject({ status: 409, code: "conflict" });
  });

  it("refuses a draft whose audience is a filter (409), not replacing its rule", async () => {
    const response = await callApi("POST", `/api/v1/campaigns/${filterDraftA}/leads`, {
      key: keys.write.secret,
      body: { leadIds: [leadsA[2]!] },
    });
    expect(await errorOf(response)).toMatchObject({ status: 409, code: "conflict", message: expect.stringContaining("a lead filter") });
    expect((await audienceOf(filterDraftA))?.audience).toEqual({ kind: "filter", query: "country=FR" });
  });
});

describe("invalid input is refused with 422 naming the field", () => {
  it("lead ids that are none, none at all, or a misspelt field", async () => {
    const path = `/api/v1/campaigns/${draftA}/leads`;
    const notIds = await callApi("POST", path, { key: keys.write.secret, body: { leadIds: ["lead-1"] } });
    expect(await errorOf(notIds)).toMatchObject({ status: 422, code: "invalid_input", fields: { "leadIds.0": expect.any(Array) } });
    const empty = await callApi("POST", path, { key: keys.write.secret, body: { leadIds: [] } });
    expect(await errorOf(empty)).toMatchObject({ status: 422, fields: { leadIds: expect.any(Array) } });
    const typo = await callApi("POST", path, { key: keys.write.secret, body: { ids: [leadsA[0]!] } });
    expect(await errorOf(typo)).toMatchObject({ status: 422, fields: { ids: expect.any(Array), leadIds: expect.any(Array) } });
  });
  it("leads past the 1,000 a draft of picked leads holds, named as leadIds; the draft keeps its audience", async () => {
    const full = Array.from({ length: 1_000 }, () => crypto.randomUUID());
    const draft = await draftOfPickedLeads(fx.a, fx.a.members.sales_rep.id, "Full draft", full);
    const response = await callApi("POST", `/api/v1/campaigns/${draft}/leads`, { key: keys.write.secret, body: { leadIds: [leadsA[2]!] } });
    expect(await errorOf(response)).toMatchObject({
      status: 422,
      code: "invalid_input",
      fields: { leadIds: [expect.stringContaining("at most 1,000 picked leads (this would make 1,001)")] },
    });
    expect((await audienceOf(draft))?.audience).toEqual({ kind: "ids", ids: full });
  });
  it("a campaign status nobody knows, an owner that is no id, a parameter nobody knows", async () => {
    const status = await callApi("GET", "/api/v1/campaigns", { key: keys.read.secret, query: { status: "running,sleeping" } });
    expect(await errorOf(status)).toMatchObject({ status: 422, fields: { status: [expect.stringContaining("sleeping")] } });
    const owner = await callApi("GET", "/api/v1/campaigns", { key: keys.read.secret, query: { owner: "bob" } });
    expect(await errorOf(owner)).toMatchObject({ status: 422, fields: { owner: expect.any(Array) } });
    const typo = await callApi("GET", "/api/v1/analytics/headline", { key: keys.write.secret, query: { form: "2026-01-01" } });
    expect(await errorOf(typo)).toMatchObject({ status: 422, fields: { form: [expect.stringContaining("Unknown field")] } });
  });
});

describe("analytics through the API", () => {
  it("gives the headline the analytics page shows for the same range", async () => {
    const response = await callApi("GET", "/api/v1/analytics/headline", { key: keys.write.secret, query: { tz: "UTC" } });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { headline: Record<string, number | null>; notices: string[] } };
    expect(data.notices).toEqual([]);
    expect(data.headline).toMatchObject({ sent: 2, replied: 1, replyRate: 0.5, bounceRate: 0 });
    const admin = fx.a.members.admin;
    const page = await getAnalytics({ claims: claimsFor(admin.id, admin.email), workspaceId: fx.a.id, role: "admin" }, { tz: "UTC" });
    expect(data.headline).toEqual(headlineOf(page.funnel));
  });

  it("gives the funnel per campaign, step and variant, filtered by campaign", async () => {
    const response = await callApi("GET", "/api/v1/analytics/funnel", {
      key: keys.write.secret,
      query: { tz: "UTC", campaign: running.campaignId },
    });
    const { data } = (await response.json()) as {
      data: { range: { filters: unknown }; campaigns: { campaignId: string; totals: { sent: number }; steps: unknown[] }[] };
    };
    expect(data.range.filters).toEqual({ campaignId: running.campaignId });
    expect(data.campaigns).toEqual([
      expect.objectContaining({
        campaignId: running.campaignId,
        campaignName: "Running intro",
        totals: expect.objectContaining({ sent: 2, replied: 1 }),
        steps: [
          {
            stepPosition: 1,
            verdict: { kind: "not_enough_data" },
            variants: [
              expect.objectContaining({ variantLabel: "A", sent: 1, replied: 1 }),
              expect.objectContaining({ variantLabel: "B", sent: 1, replied: 0 }),
            ],
          },
        ],
      }),
    ]);
    const other = await callApi("GET", "/api/v1/analytics/funnel", {
      key: keys.otherWorkspace.secret,
      query: { campaign: running.campaignId },
    });
    expect(((await other.json()) as { data: { campaigns: unknown[] } }).data.campaigns).toEqual([]);
  });

  it.each([
    [{ from: "2026-13-45" }, "not a date"],
    [{ from: "2026-06-10", to: "2026-06-01" }, "swapped"],
    [{ from: "2020-01-01", to: "2026-06-01" }, "at most two years"],
    [{ campaign: "not-an-id" }, "campaign filter was not understood"],
    [{ tz: "Mars/Olympus" }, "unknown"],
  ])("corrects %o with a notice instead of failing", async (query, words) => {
    for (const path of ["/api/v1/analytics/headline", "/api/v1/analytics/funnel"]) {
      const response = await callApi("GET", path, { key: keys.write.secret, query });
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: { notices: string[]; range: { from: string; to: string } } };
      expect(data.notices.join(" ")).toContain(words);
      expect(data.range.from <= data.range.to).toBe(true);
    }
  });
});
