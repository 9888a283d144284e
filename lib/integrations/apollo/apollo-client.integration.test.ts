import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { enrichApolloChunk, enrichApolloPeopleByIds } from "./bulk-enrichment";
import { createApolloClient, type ApolloClientConfig } from "./client";
import { checkApolloKey } from "./key-check";
import { collectApolloPeople, searchApolloPeople } from "./people-search";
import { fakeApolloId } from "./testing/fake-people";
import { startFakeApollo, type FakeApollo } from "./testing/fake-apollo";

const MASTER = "master-key-0001";
const PLAIN = "plain-key-0002";
let fake: FakeApollo;
let slept: number[];

/** Retries without real waiting: the waits asked for are recorded instead. */
function client(apiKey: string, overrides: Partial<ApolloClientConfig> = {}) {
  return createApolloClient({
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

beforeAll(async () => {
  fake = await startFakeApollo({ masterKeys: [MASTER], keys: [PLAIN], totalEntries: 60_000 });
});
afterAll(() => fake.close());

const reset = () => {
  fake.reset();
  slept = [];
};

describe("the Apollo client", () => {
  it("checks a key with x-api-key, JSON and a descriptive User-Agent, and names a wrong key clearly", async () => {
    reset();
    await checkApolloKey(client(PLAIN));
    expect(fake.requests).toEqual([{ method: "GET", path: "/auth/health", apiKey: PLAIN, body: null }]);

    const wrong = await refusalOf(checkApolloKey(client("not-a-key")));
    expect(wrong.kind).toBe("unauthorized");
    expect(wrong.message).toBe(
      "Apollo refused the API key (“Invalid access credentials.”). Copy the key again from Apollo (Settings → Integrations → API keys) and save it here.",
    );
    expect(wrong.message).not.toContain("not-a-key");
  });

  it("sends the filters as Apollo documents them, accents stripped from keywords", async () => {
    reset();
    const page = await searchApolloPeople(
      client(MASTER),
      {
        titles: ["Head of Sales"],
        seniorities: ["vp", "head"],
        locations: ["France"],
        organizationDomains: ["www.acme.example", "https://globex.example"],
        employeeRanges: ["11,50"],
        keywords: "François Müller",
      },
      { page: 2, perPage: 25 },
    );
    expect(fake.requests[0]!.body).toEqual({
      page: 2,
      per_page: 25,
      person_titles: ["Head of Sales"],
      person_seniorities: ["vp", "head"],
      person_locations: ["France"],
      q_organization_domains_list: ["acme.example", "globex.example"],
      organization_num_employees_ranges: ["11,50"],
      q_keywords: "Francois Muller",
    });
    expect(page).toMatchObject({ page: 2, perPage: 25, totalEntries: 60_000, lastPage: 500 });
    expect(page.people).toHaveLength(25);
    expect(page.people[0]!.id).toBe(fakeApolloId(25));
    // Unknown fields are kept for the raw layer.
    expect(page.people[0]).toMatchObject({ has_direct_phone: "Yes", last_name_obfuscated: expect.stringMatching(/\*\*\*/) });
  });

  it("pages up to Apollo's cap of 500 pages of 100 and never asks for page 501", async () => {
    reset();
    const all = await collectApolloPeople(client(MASTER), { titles: ["Founder"] });
    expect(all.pages).toBe(500);
    expect(all.people).toHaveLength(50_000);
    expect(new Set(all.people.map((p) => p.id)).size).toBe(50_000);
    const pages = fake.requests.map((r) => r.body?.page);
    expect(pages[0]).toBe(1);
    expect(pages.at(-1)).toBe(500);
    expect(fake.requests.every((r) => r.body?.per_page === 100)).toBe(true);
    await expect(searchApolloPeople(client(MASTER), {}, { page: 501 })).rejects.toThrow(/pages 1 to 500/);
  }, 120_000);

  it("stops at the first N matching, and at the last page of a small result", async () => {
    reset();
    const first = await collectApolloPeople(client(MASTER), {}, { limit: 250 });
    expect(first.people).toHaveLength(250);
    expect(fake.requests.map((r) => r.body?.page)).toEqual([1, 2, 3]);

    const small = await startFakeApollo({ masterKeys: [MASTER], totalEntries: 130 });
    try {
      const result = await collectApolloPeople(client(MASTER, { baseUrl: small.url }), {});
      expect(result).toMatchObject({ totalEntries: 130, pages: 2 });
      expect(result.people).toHaveLength(130);
    } finally {
      await small.close();
    }
  });

  it("says which permission is missing when a key without master access searches", async () => {
    reset();
    const error = await refusalOf(searchApolloPeople(client(PLAIN), {}));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toMatch(/^This Apollo API key may not use People Search/);
    expect(error.message).toContain("People Search needs a master API key.");
  });

  it("enriches by id in chunks of at most 10 and adds up the credits the answers report", async () => {
    reset();
    const ids = Array.from({ length: 25 }, (_, i) => fakeApolloId(1000 + i));
    const unknown = fakeApolloId(99_999_999);
    const result = await enrichApolloPeopleByIds(client(PLAIN), [...ids, unknown, ids[0]!]);
    const sizes = fake.requests.map((r) => (r.body?.details as unknown[]).length);
    expect(sizes).toEqual([10, 10, 6]);
    expect(fake.requests[0]!.body).toMatchObject({ reveal_personal_emails: false, reveal_phone_number: false });
    expect(result.calls).toBe(3);
    expect(result.people.map((p) => p.id)).toEqual(ids);
    expect(result.missingIds).toEqual([unknown]);
    expect(result.creditsConsumed).toBe(25);
    expect(result.people[0]).toMatchObject({ email: expect.stringContaining("@"), organization: { primary_domain: expect.any(String) } });
    await expect(enrichApolloChunk(client(PLAIN), ids.slice(0, 11))).rejects.toThrow(/at most 10 people a call; 11/);
  });

  it("retries a 429 after its Retry-After, reads the rate-limit headers, and loses nothing", async () => {
    reset();
    fake.fail({
      path: "/people/bulk_match",
      status: 429,
      headers: { "retry-after": "7", "content-type": "application/json", "x-minute-requests-left": "0", "x-rate-limit-minute": "100" },
      body: JSON.stringify({ message: "The maximum number of api calls allowed for api/v1/people/bulk_match is 100 times per minute." }),
    });
    const apollo = client(PLAIN);
    const ids = Array.from({ length: 12 }, (_, i) => fakeApolloId(2000 + i));
    const result = await enrichApolloPeopleByIds(apollo, ids);
    expect(slept).toEqual([7_000]);
    expect(result.people.map((p) => p.id)).toEqual(ids);
    expect(result.creditsConsumed).toBe(12);
    expect(fake.requests.map((r) => (r.body?.details as unknown[]).length)).toEqual([10, 10, 2]);
    expect(apollo.rateLimit?.minute).toMatchObject({ limit: 200, left: expect.any(Number) });
  });

  it("waits for the next minute on a 429 without Retry-After when the minute is used up", async () => {
    reset();
    fake.fail({ status: 429, headers: { "x-minute-requests-left": "0" }, body: "" });
    await checkApolloKey(client(PLAIN));
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(1_000);
    expect(slept[0]).toBeLessThanOrEqual(61_000);
  });

  it("does not wait out an exhausted hourly limit inside a call: the error says when it resets", async () => {
    reset();
    const creditsBefore = fake.creditsCharged();
    fake.fail({
      status: 429,
      headers: { "x-hourly-requests-left": "0", "x-rate-limit-hourly": "600", "content-type": "application/json" },
      body: JSON.stringify({ message: "The maximum number of api calls allowed for api/v1/people/bulk_match is 600 times per hour." }),
    });
    const error = await refusalOf(enrichApolloChunk(client(PLAIN), [fakeApolloId(1)]));
    expect(error).toMatchObject({ kind: "rate_limited", retryable: true });
    expect(error.message).toMatch(/^Apollo's hourly limit for this call is used up \(600 calls\)\. It resets within the hour\./);
    expect(fake.requests).toHaveLength(1);
    expect(fake.creditsCharged()).toBe(creditsBefore);
  });

  it("retries 5xx and a timeout with back-off, then answers as if nothing happened", async () => {
    reset();
    fake.fail({ status: 502, body: "<html>Bad gateway</html>" }, { status: 503, body: "" }, { hangMs: 1_500 });
    const page = await searchApolloPeople(client(MASTER), {}, { page: 3, perPage: 10 });
    expect(page.people.map((p) => p.id)).toEqual(Array.from({ length: 10 }, (_, i) => fakeApolloId(20 + i)));
    expect(fake.requests).toHaveLength(4);
    expect(slept).toHaveLength(3);
    expect(slept.every((ms) => ms >= 0 && ms <= 40)).toBe(true);
  });

  it("gives up after the last retry with an error that says nothing was lost", async () => {
    reset();
    fake.fail(...Array.from({ length: 4 }, () => ({ status: 500, body: "" })));
    const error = await refusalOf(checkApolloKey(client(PLAIN)));
    expect(error).toMatchObject({ kind: "unavailable", retryable: true });
    expect(error.message).toBe("Apollo is not answering properly (HTTP 500 on 4 attempts). Nothing was lost; try again later.");
  });

  it("refuses an answer of the wrong shape, naming the field, without keeping half of it", async () => {
    reset();
    fake.fail({
      path: "/people/bulk_match",
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ credits_consumed: 1, matches: [{ id: 42, first_name: "Ana" }] }),
    });
    const error = await refusalOf(enrichApolloChunk(client(PLAIN), [fakeApolloId(5)]));
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toMatch(/at matches\.0\.id/);
    expect(error.details.body).toEqual({ credits_consumed: 1, matches: [{ id: 42, first_name: "Ana" }] });
  });
});
