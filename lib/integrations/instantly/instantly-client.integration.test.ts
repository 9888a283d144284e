import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { createInstantlyClient, type InstantlyClientConfig } from "./client";
import { checkInstantlyKey } from "./key-check";
import { campaignDailyAnalytics, instantlyPages, listLeadsPage, listReceivedEmailsPage } from "./resources";
import { startFakeInstantly, type FakeInstantly } from "./testing/fake-instantly";

const KEY = "instantly-key-0001";
const LEADS_ONLY = "instantly-leads-only-0002";
let fake: FakeInstantly;
let slept: number[];

function client(apiKey: string, overrides: Partial<InstantlyClientConfig> = {}) {
  return createInstantlyClient({
    apiKey,
    baseUrl: fake.url,
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

const leadId = (n: number) => `0190f000-0000-7000-8000-${String(n).padStart(12, "0")}`;

beforeAll(async () => {
  fake = await startFakeInstantly({
    keys: { [KEY]: ["all:all"], [LEADS_ONLY]: ["leads:read"] },
    data: {
      leads: Array.from({ length: 250 }, (_, n) => ({ id: leadId(n), email: `lead${n}@acme.example`, status: 1, unknown_field: { n } })),
      emails: Array.from({ length: 3 }, (_, n) => ({
        id: `email-${n}`,
        timestamp_created: `2026-11-2${n}T10:00:00.000Z`,
        subject: "Re: hi",
      })),
      daily: {
        c1: [
          { date: "2026-11-01", sent: 10 },
          { date: "2026-11-02", sent: 12 },
          { date: "2026-11-03", sent: 0 },
        ],
      },
    },
  });
});
afterAll(() => fake.close());

const reset = () => {
  fake.requests.length = 0;
  slept = [];
};

async function allLeads(c = client(KEY), startingAfter?: string) {
  const ids: string[] = [];
  let last: string | undefined;
  for await (const page of instantlyPages((after) => listLeadsPage(c, after), { startingAfter })) {
    ids.push(...page.items.map((l) => l.id));
    last = page.next;
  }
  return { ids, last };
}

describe("the Instantly client", () => {
  it("checks a key with one campaign, as a Bearer token with a descriptive User-Agent, and names a wrong key clearly", async () => {
    reset();
    await checkInstantlyKey(client(KEY));
    expect(fake.requests).toEqual([
      expect.objectContaining({ method: "GET", path: "/campaigns", query: { limit: "1" }, authorization: `Bearer ${KEY}` }),
    ]);
    expect(fake.requests[0]!.userAgent).toMatch(/^LeadIntelligencePanel\/.+Instantly API v2 client/);

    const wrong = await refusalOf(checkInstantlyKey(client("not-a-key")));
    expect(wrong.kind).toBe("unauthorized");
    expect(wrong.message).toBe(
      "Instantly refused the API key (“Invalid API key”). Create or copy an API v2 key in Instantly (Settings → Integrations → API Keys) and save it here (v1 keys do not work).",
    );
    expect(wrong.message).not.toContain("not-a-key");
  });

  it("says which scope a key lacks, and what a missing paid plan means", async () => {
    reset();
    const scope = await refusalOf(checkInstantlyKey(client(LEADS_ONLY)));
    expect(scope.kind).toBe("forbidden");
    expect(scope.message).toContain("it needs the scope campaigns:read (or all:read)");
    fake.fail({
      status: 402,
      headers: { "content-type": "application/json" },
      body: '{"statusCode":402,"error":"Payment Required","message":"No active plan"}',
    });
    const plan = await refusalOf(checkInstantlyKey(client(KEY)));
    expect(plan.message).toBe(
      "Instantly refused the campaign list: the workspace has no active paid plan (“No active plan”). The API needs a paid Instantly plan.",
    );
  });

  it("pages leads with the cursor in the body until an empty page, losing and repeating nothing", async () => {
    reset();
    const { ids, last } = await allLeads();
    expect(ids).toEqual(Array.from({ length: 250 }, (_, n) => leadId(n)));
    // 100, 100, 50, then the empty page that ends the list (the last page with data still had a cursor).
    expect(fake.requests.map((r) => r.body)).toEqual([
      { limit: 100 },
      { limit: 100, starting_after: leadId(99) },
      { limit: 100, starting_after: leadId(199) },
      { limit: 100, starting_after: leadId(249) },
    ]);
    expect(last).toBe(leadId(249));

    reset();
    expect((await allLeads(client(KEY), last)).ids).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("keeps fields it does not know, as received", async () => {
    const page = await listLeadsPage(client(KEY), undefined, 1);
    expect(page.items[0]).toEqual({ id: leadId(0), email: "lead0@acme.example", status: 1, unknown_field: { n: 0 } });
  });

  it("waits as long as a 429's Retry-After (or ratelimit-reset) says, then carries on with nothing lost", async () => {
    reset();
    const tooMany = '{"statusCode":429,"error":"Too Many Requests","message":"Rate limit exceeded"}';
    fake.fail(
      { path: "/leads/list", status: 429, headers: { "retry-after": "2" }, body: tooMany },
      {
        path: "/leads/list",
        status: 429,
        headers: { "ratelimit-limit": "6000", "ratelimit-remaining": "0", "ratelimit-reset": "5" },
        body: tooMany,
      },
    );
    const { ids } = await allLeads();
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(slept).toEqual([2000, 5000]);
    expect(fake.requests).toHaveLength(6);
  });

  it("retries 5xx and timeouts with back-off mid-listing, and says plainly when Instantly stays down", async () => {
    reset();
    fake.fail({ path: "/leads/list", status: 502, body: "<html>Bad gateway</html>" }, { path: "/leads/list", hangMs: 1_500 });
    const { ids } = await allLeads();
    expect(ids).toHaveLength(250);
    expect(slept).toHaveLength(2);
    expect(slept.every((ms) => ms <= 40)).toBe(true);

    reset();
    fake.fail(...Array.from({ length: 4 }, () => ({ path: "/leads/list", status: 503 })));
    const down = await refusalOf(listLeadsPage(client(KEY)));
    expect(down.kind).toBe("unavailable");
    expect(down.retryable).toBe(true);
    expect(down.message).toBe("Instantly is not answering properly (HTTP 503 on 4 attempts). Nothing was lost; try again later.");
  });

  it("refuses an answer that is not a page, naming the field; leaves out an item of another shape", async () => {
    reset();
    fake.fail({
      path: "/leads/list",
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"items":{"email":"x@y.example"}}',
    });
    const bad = await refusalOf(listLeadsPage(client(KEY)));
    expect(bad.kind).toBe("invalid_response");
    expect(bad.message).toBe(
      "Instantly's lead list answer did not have the expected shape at items (Invalid input: expected array, received object); nothing was saved from it.",
    );
    // One item of another shape is left out of its page, not the page refused (schemas.ts, instantlyPage).
    fake.fail({
      path: "/leads/list",
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"items":[{"email":"x@y.example"}]}',
    });
    const page = await listLeadsPage(client(KEY));
    expect(page).toMatchObject({ items: [], received: 1, leftOut: [{ field: "items.0.id", item: { email: "x@y.example" } }] });
  });

  it("reads received emails oldest first, one request every 3 s at most (GET /emails allows 20 a minute)", async () => {
    reset();
    let now = 1_000_000;
    const c = client(KEY, { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) });
    const first = await listReceivedEmailsPage(c, undefined, 2);
    now += 1_000;
    const second = await listReceivedEmailsPage(c, first.next, 2);
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(["email-0", "email-1", "email-2"]);
    expect(fake.requests.map((r) => r.query)).toEqual([
      { limit: "2", email_type: "received", sort_order: "asc" },
      { limit: "2", starting_after: "2026-11-21T10:00:00.000Z", email_type: "received", sort_order: "asc" },
    ]);
    expect(slept).toEqual([2_000]);
  });

  it("reads one campaign's days by campaign_id between two dates", async () => {
    reset();
    const days = await campaignDailyAnalytics(client(KEY), "c1", { startDate: "2026-11-02", endDate: "2026-11-03" });
    expect(days).toEqual([
      { date: "2026-11-02", sent: 12 },
      { date: "2026-11-03", sent: 0 },
    ]);
    expect(fake.requests[0]!.query).toEqual({ campaign_id: "c1", start_date: "2026-11-02", end_date: "2026-11-03" });
  });
});
