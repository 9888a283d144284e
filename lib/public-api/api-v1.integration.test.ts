import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { connect } from "@/db/client";
import { env } from "@/lib/env";
import { auditLog, companies, leadImports, leads, suppressions, workspaceMembers } from "@/db/schema";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { listLeads } from "@/lib/leads/list-leads";
import { parseLeadListState } from "@/lib/leads/list-state";
import { callApi } from "@/tests/fixtures/api-client";
import {
  createDemotedTestApiKey,
  createTestApiKey,
  createTestApiKeys,
  expireTestApiKey,
  revokeTestApiKey,
  type TestApiKey,
  type TestApiKeys,
} from "@/tests/fixtures/api-keys";
import { createTestImport } from "@/tests/fixtures/imports";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  outcome,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { API_MAX_BODY_BYTES } from "./read-body";

let fx: TenancyFixture;
let keys: TestApiKeys;
let leadA: string;
let leadB: string;
let companyA: string;
let companyB: string;
let importA: string;
let importB: string;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  keys = await createTestApiKeys(fx);
  leadA = await insertTestLead(fx.a, { email: `ada-${fx.a.slug}@example.com`, score: 70, status: "contacted" });
  leadB = await insertTestLead(fx.b, { email: `bob-${fx.b.slug}@example.com` });
  const company = async (ws: { id: string; slug: string }, name: string) => {
    const [row] = await serviceDb()
      .insert(companies)
      .values({ workspaceId: ws.id, name, domain: `${ws.slug}.example` })
      .returning({ id: companies.id });
    return row!.id;
  };
  const anImport = (ws: typeof fx.a) =>
    createTestImport({ workspaceId: ws.id, createdBy: ws.members.admin.id, headers: ["Email"], rows: [["x@example.com"]] });
  importA = await anImport(fx.a);
  importB = await anImport(fx.b);
  companyA = await company(fx.a, "Acme Rockets");
  companyB = await company(fx.b, "Globex Corporation");
});

afterAll(async () => {
  await removeTenancyFixture(fx, serviceDb());
});

type Endpoint = {
  name: string;
  method: string;
  path: () => string;
  write: boolean;
  body?: unknown;
  /** The same operation on another workspace's resource, and a read of that resource to show it unchanged. */
  foreign?: { path: () => string; state: () => Promise<unknown> };
};
const leadState = (id: () => string) => async () =>
  (await serviceDb().select({ title: leads.title, deletedAt: leads.deletedAt }).from(leads).where(eq(leads.id, id())))[0];
const companyState = (id: () => string) => async () =>
  (await serviceDb().select({ name: companies.name }).from(companies).where(eq(companies.id, id())))[0];
const importState = (id: () => string) => async () =>
  (await serviceDb().select({ status: leadImports.status }).from(leadImports).where(eq(leadImports.id, id())))[0];
const timelineState = (id: () => string) => async () =>
  (await serviceDb().execute<{ n: number }>(sql`select count(*)::int as n from public.lead_activities where lead_id = ${id()}`))[0];
const ENDPOINTS: Endpoint[] = [
  { name: "list leads", method: "GET", path: () => "/api/v1/leads", write: false },
  {
    name: "get a lead",
    method: "GET",
    path: () => `/api/v1/leads/${leadA}`,
    write: false,
    foreign: { path: () => `/api/v1/leads/${leadB}`, state: leadState(() => leadB) },
  },
  { name: "create a lead", method: "POST", path: () => "/api/v1/leads", write: true, body: { firstName: "Never" } },
  {
    name: "bulk upsert leads",
    method: "POST",
    path: () => "/api/v1/leads/bulk",
    write: true,
    body: { leads: [{ email: "never-bulk@example.com", title: "Never" }] },
  },
  {
    name: "update a lead",
    method: "PATCH",
    path: () => `/api/v1/leads/${leadA}`,
    write: true,
    body: { title: "Never" },
    foreign: { path: () => `/api/v1/leads/${leadB}`, state: leadState(() => leadB) },
  },
  {
    name: "delete a lead",
    method: "DELETE",
    path: () => `/api/v1/leads/${leadA}`,
    write: true,
    foreign: { path: () => `/api/v1/leads/${leadB}`, state: leadState(() => leadB) },
  },
  {
    name: "list a lead's timeline",
    method: "GET",
    path: () => `/api/v1/leads/${leadA}/activities`,
    write: false,
    foreign: { path: () => `/api/v1/leads/${leadB}/activities`, state: leadState(() => leadB) },
  },
  {
    name: "add a note to a lead",
    method: "POST",
    path: () => `/api/v1/leads/${leadA}/notes`,
    write: true,
    body: { body: "Never" },
    foreign: { path: () => `/api/v1/leads/${leadB}/notes`, state: timelineState(() => leadB) },
  },
  { name: "list companies", method: "GET", path: () => "/api/v1/companies", write: false },
  { name: "create a company", method: "POST", path: () => "/api/v1/companies", write: true, body: { name: "Never Inc" } },
  {
    name: "update a company",
    method: "PATCH",
    path: () => `/api/v1/companies/${companyA}`,
    write: true,
    body: { name: "Never" },
    foreign: { path: () => `/api/v1/companies/${companyB}`, state: companyState(() => companyB) },
  },
  { name: "list the suppression list", method: "GET", path: () => "/api/v1/suppressions", write: false },
  { name: "start an import", method: "POST", path: () => "/api/v1/imports", write: true, body: { file: "Email" } },
  {
    name: "get an import",
    method: "GET",
    path: () => `/api/v1/imports/${importA}`,
    write: false,
    foreign: { path: () => `/api/v1/imports/${importB}`, state: importState(() => importB) },
  },
  {
    name: "list an import's issues",
    method: "GET",
    path: () => `/api/v1/imports/${importA}/issues`,
    write: false,
    foreign: { path: () => `/api/v1/imports/${importB}/issues`, state: importState(() => importB) },
  },
  {
    name: "get a company",
    method: "GET",
    path: () => `/api/v1/companies/${companyA}`,
    write: false,
    foreign: { path: () => `/api/v1/companies/${companyB}`, state: companyState(() => companyB) },
  },
];

async function errorOf(
  response: Response,
): Promise<{ status: number; code: string; fields?: Record<string, string[]>; existingId?: string }> {
  const body = (await response.json()) as { error: { code: string; fields?: Record<string, string[]>; existingId?: string } };
  return { status: response.status, code: body.error.code, fields: body.error.fields, existingId: body.error.existingId };
}

describe.each(ENDPOINTS)("$name refuses", (endpoint) => {
  const call = (key: string | null, extra: { query?: Record<string, string> } = {}) =>
    callApi(endpoint.method, endpoint.path(), { key, body: endpoint.body, ...extra });

  it("no key (401)", async () => {
    expect(await errorOf(await call(null))).toMatchObject({ status: 401, code: "missing_api_key" });
  });
  it("a key that is not one (401)", async () => {
    expect(await errorOf(await call(`lip_${"x".repeat(43)}`))).toMatchObject({ status: 401, code: "invalid_api_key" });
  });
  it("a revoked key (401)", async () => {
    expect(await errorOf(await call(keys.revoked.secret))).toMatchObject({ status: 401, code: "api_key_revoked" });
  });
  it("an expired key (401)", async () => {
    expect(await errorOf(await call(keys.expired.secret))).toMatchObject({ status: 401, code: "api_key_expired" });
  });
  it("a key in the query string, even a valid one (400)", async () => {
    const response = await call(null, { query: { api_key: keys.write.secret } });
    expect(await errorOf(response)).toMatchObject({ status: 400, code: "api_key_in_query" });
  });
  it("a key over its rate limit (429 with Retry-After)", async () => {
    const response = await call(keys.limited.secret);
    expect(await errorOf(response)).toMatchObject({ status: 429, code: "rate_limited" });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });
  if (endpoint.write) {
    it("a read key (403)", async () => {
      expect(await errorOf(await call(keys.read.secret))).toMatchObject({ status: 403, code: "insufficient_scope" });
      const [lead] = await serviceDb().select({ title: leads.title, deletedAt: leads.deletedAt }).from(leads).where(eq(leads.id, leadA));
      expect(lead).toEqual({ title: null, deletedAt: null });
    });
  }
  const { foreign } = endpoint;
  if (foreign) {
    it("another workspace's resource (404), leaving it as it was", async () => {
      const before = await foreign.state();
      const response = await callApi(endpoint.method, foreign.path(), { key: keys.write.secret, body: endpoint.body });
      expect(await errorOf(response)).toMatchObject({ status: 404, code: "not_found" });
      expect(await foreign.state()).toEqual(before);
    });
    it("an id that is no id (404)", async () => {
      const path = foreign.path().replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, "not-an-id");
      const response = await callApi(endpoint.method, path, { key: keys.write.secret, body: endpoint.body });
      expect(await errorOf(response)).toMatchObject({ status: 404, code: "not_found" });
    });
  }
});

describe("invalid input is refused with 422 naming the field", () => {
  it("a list filter that is no status", async () => {
    const response = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { status: "maybe" } });
    expect(await errorOf(response)).toMatchObject({ status: 422, code: "invalid_input", fields: { status: expect.any(Array) } });
  });
  it("a page size the tables do not offer, in words that name the ones they do (leads and companies alike)", async () => {
    for (const path of ["/api/v1/leads", "/api/v1/companies"]) {
      const response = await callApi("GET", path, { key: keys.read.secret, query: { pageSize: "2" } });
      expect(await errorOf(response)).toMatchObject({ status: 422, fields: { pageSize: ["Use 25, 50 or 100 rows per page."] } });
    }
  });
  it("a list parameter out of shape, in words that say what to send", async () => {
    const fieldsOf = async (query: Record<string, string>) =>
      (await errorOf(await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query }))).fields;
    expect(await fieldsOf({ scoreMin: "abc", tz: "Mars/Base" })).toEqual({
      scoreMin: ["Use a whole number from 0 to 100."],
      tz: ["Use an IANA time zone, like Europe/Paris."],
    });
    expect(await fieldsOf({ owner: "bob", createdFrom: "2026-13-01", q: "" })).toEqual({
      owner: ["Use `me`, `unassigned` or a member's user id."],
      createdFrom: ["Use a day as YYYY-MM-DD."],
      q: ["Leave the parameter out rather than empty."],
    });
  });
  it("a lead's tags or numbers of the wrong type, in words that say what to send (one lead and a bulk call)", async () => {
    const one = await callApi("POST", "/api/v1/leads", { key: keys.write.secret, body: { firstName: "A", tags: [1, 2] } });
    expect((await errorOf(one)).fields).toEqual({ tags: ["Send the tags as a list of words, or as one comma-separated text."] });
    const bulk = await callApi("POST", "/api/v1/leads/bulk", {
      key: keys.write.secret,
      body: { leads: [{ email: "typed@example.com", score: "x", tags: [3] }] },
    });
    expect((await errorOf(bulk)).fields).toEqual({
      "leads.0.score": ["Send a number, or null to leave it empty."],
      "leads.0.tags.0": ["Each tag is a text."],
    });
  });
  it("a company sort nobody knows, or a company cursor that does not fit", async () => {
    const sort = await callApi("GET", "/api/v1/companies", { key: keys.read.secret, query: { sort: "revenue" } });
    expect(await errorOf(sort)).toMatchObject({ status: 422, fields: { sort: expect.any(Array) } });
    const cursor = await callApi("GET", "/api/v1/companies", { key: keys.read.secret, query: { cursor: "bm9uc2Vuc2U" } });
    expect(await errorOf(cursor)).toMatchObject({ status: 422, fields: { cursor: expect.any(Array) } });
  });
  it("a company without a name, with a domain that is none, or a field nobody knows", async () => {
    const nameless = await callApi("POST", "/api/v1/companies", { key: keys.write.secret, body: { domain: "acme.example" } });
    expect(await errorOf(nameless)).toMatchObject({ status: 422, fields: { name: expect.any(Array) } });
    const domain = await callApi("PATCH", `/api/v1/companies/${companyA}`, { key: keys.write.secret, body: { domain: "not a domain" } });
    expect(await errorOf(domain)).toMatchObject({ status: 422, fields: { domain: expect.any(Array) } });
    const typo = await callApi("PATCH", `/api/v1/companies/${companyA}`, { key: keys.write.secret, body: { employees: 5 } });
    expect(await errorOf(typo)).toMatchObject({ status: 422, fields: { employees: expect.any(Array) } });
    const links = await callApi("PATCH", `/api/v1/companies/${companyA}`, {
      key: keys.write.secret,
      body: { linkedinUrl: "javascript:alert(document.domain)", website: "not a url at all" },
    });
    expect(await errorOf(links)).toMatchObject({ status: 422, fields: { linkedinUrl: expect.any(Array), website: expect.any(Array) } });
  });
  it("paging back without a cursor, or with a cursor the list did not take, in the same words for leads and companies", async () => {
    const refusal = async (path: string, query: Record<string, string>) => {
      const response = await callApi("GET", path, { key: keys.read.secret, query });
      return { status: response.status, ...((await response.json()) as { error: unknown }) };
    };
    for (const path of ["/api/v1/leads", "/api/v1/companies"]) {
      expect(await refusal(path, { before: "1" })).toEqual({
        status: 422,
        error: { code: "invalid_input", message: "`before` needs a `cursor`.", fields: { before: ["Needs a cursor."] } },
      });
    }
    const unfit = Buffer.from("nonsense").toString("base64url");
    expect(await refusal("/api/v1/leads", { cursor: unfit })).toEqual({
      status: 422,
      error: {
        code: "invalid_input",
        message: "That cursor does not fit this sort or filter: start again without it.",
        fields: { cursor: ["Does not fit this sort or filter."] },
      },
    });
    expect(await refusal("/api/v1/companies", { cursor: unfit })).toEqual({
      status: 422,
      error: {
        code: "invalid_input",
        message: "That cursor does not fit this sort: start again without it.",
        fields: { cursor: ["Does not fit this sort."] },
      },
    });
  });
  it("an import's issues page past any row number a file can have: named, never a database error", async () => {
    for (const after of ["3000000000", "1e10"]) {
      const response = await callApi("GET", `/api/v1/imports/${importA}/issues`, { key: keys.read.secret, query: { after } });
      expect(await errorOf(response)).toMatchObject({ status: 422, code: "invalid_input", fields: { after: expect.any(Array) } });
    }
  });
  it("a search or a tag that merely starts like a key is a search; a whole key pasted into one is refused (400)", async () => {
    const list = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { tags: "lip_balm", q: "lip_gloss buyers" } });
    expect(list.status).toBe(200);
    const pasted = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { q: `Bearer ${keys.read.secret}` } });
    expect(await errorOf(pasted)).toMatchObject({ status: 400, code: "api_key_in_query" });
  });
  it("a suppression page that is no id", async () => {
    const response = await callApi("GET", "/api/v1/suppressions", { key: keys.read.secret, query: { after: "page-2" } });
    expect(await errorOf(response)).toMatchObject({ status: 422, fields: { after: expect.any(Array) } });
  });
  it("a list parameter nobody knows (a typo)", async () => {
    const response = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { stauts: "new" } });
    expect(await errorOf(response)).toMatchObject({ status: 422, fields: { stauts: [expect.stringContaining("Unknown field")] } });
  });
  it("a cursor that does not fit the sort", async () => {
    const first = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { pageSize: "25", sort: "score" } });
    expect(first.status).toBe(200);
    const bogus = Buffer.from("nonsense").toString("base64url");
    const response = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { cursor: bogus } });
    expect(await errorOf(response)).toMatchObject({ status: 422, fields: { cursor: expect.any(Array) } });
  });
  it("a new lead with a misspelt field, or an email that is none", async () => {
    const typo = await callApi("POST", "/api/v1/leads", { key: keys.write.secret, body: { firstName: "Ada", emial: "ada@example.com" } });
    expect(await errorOf(typo)).toMatchObject({ status: 422, fields: { emial: expect.any(Array) } });
    const email = await callApi("POST", "/api/v1/leads", { key: keys.write.secret, body: { email: "not an address" } });
    expect(await errorOf(email)).toMatchObject({ status: 422, fields: { email: expect.any(Array) } });
    const nobody = await callApi("POST", "/api/v1/leads", { key: keys.write.secret, body: { title: "CEO" } });
    expect(await errorOf(nobody)).toMatchObject({ status: 422, fields: { firstName: expect.any(Array) } });
  });
  it("an update with a score out of range or a field nobody knows", async () => {
    const score = await callApi("PATCH", `/api/v1/leads/${leadA}`, { key: keys.write.secret, body: { score: 500 } });
    expect(await errorOf(score)).toMatchObject({ status: 422, fields: { score: expect.any(Array) } });
    const typo = await callApi("PATCH", `/api/v1/leads/${leadA}`, { key: keys.write.secret, body: { titel: "CEO" } });
    expect(await errorOf(typo)).toMatchObject({ status: 422, fields: { titel: expect.any(Array) } });
  });
  it("text holding a NUL character, wherever it is (PostgreSQL cannot store one): the field is named and nothing is saved", async () => {
    const lead = await insertTestLead(fx.a, { firstName: "Nul" });
    const nul = "a\u0000b";
    const note = await callApi("POST", `/api/v1/leads/${lead}/notes`, { key: keys.write.secret, body: { body: `Called ${nul}` } });
    expect(await errorOf(note)).toMatchObject({ status: 422, code: "invalid_input", fields: { body: [expect.stringMatching(/NUL/)] } });
    const title = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { title: nul } });
    expect(await errorOf(title)).toMatchObject({ status: 422, fields: { title: expect.any(Array) } });
    const bulk = await callApi("POST", "/api/v1/leads/bulk", {
      key: keys.write.secret,
      body: { leads: [{ email: `fine-${lead}@example.com` }, { email: `nul-${lead}@example.com`, customFields: { [nul]: "x" } }] },
    });
    expect(await errorOf(bulk)).toMatchObject({ status: 422, fields: { [`leads.1.customFields.${nul}`]: expect.any(Array) } });
    const search = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { q: nul } });
    expect(await errorOf(search)).toMatchObject({ status: 422, fields: { q: expect.any(Array) } });
    const [row] = await serviceDb().select({ title: leads.title }).from(leads).where(eq(leads.id, lead));
    expect(row).toEqual({ title: null });
    const activities = await serviceDb().execute(sql`select 1 from public.lead_activities where lead_id = ${lead} and type = 'note_added'`);
    expect(activities).toHaveLength(0);
    const created = await serviceDb()
      .select({ id: leads.id })
      .from(leads)
      .where(eq(leads.email, `fine-${lead}@example.com`));
    expect(created).toEqual([]);
  });
  it("half of a surrogate pair, or a body nested past any field's depth: a 422 naming the place, never a 500, and nothing saved", async () => {
    const lead = await insertTestLead(fx.a, { firstName: "Lone" });
    const json = { "content-type": "application/json" };
    const note = await callApi("POST", `/api/v1/leads/${lead}/notes`, {
      key: keys.write.secret,
      headers: json,
      rawBody: '{"body":"hi \\ud800"}',
    });
    expect(await errorOf(note)).toMatchObject({
      status: 422,
      code: "invalid_input",
      fields: { body: [expect.stringMatching(/surrogate/)] },
    });
    const title = await callApi("PATCH", `/api/v1/leads/${lead}`, {
      key: keys.write.secret,
      headers: json,
      rawBody: '{"title":"CTO \\udc00"}',
    });
    expect(await errorOf(title)).toMatchObject({ status: 422, fields: { title: expect.any(Array) } });
    const deep = await callApi("POST", "/api/v1/leads", {
      key: keys.write.secret,
      headers: json,
      rawBody: "[".repeat(100_000) + "]".repeat(100_000),
    });
    expect(await errorOf(deep)).toMatchObject({ status: 422, code: "invalid_input" });
    const [row] = await serviceDb().select({ title: leads.title }).from(leads).where(eq(leads.id, lead));
    expect(row).toEqual({ title: null });
    const notes = await serviceDb().execute(sql`select 1 from public.lead_activities where lead_id = ${lead} and type = 'note_added'`);
    expect(notes).toHaveLength(0);
  });
  it("a body that is not JSON (400), or not sent as JSON (415)", async () => {
    const broken = await callApi("POST", "/api/v1/leads", {
      key: keys.write.secret,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(await errorOf(broken)).toMatchObject({ status: 400, code: "invalid_json" });
    const form = await callApi("POST", "/api/v1/leads", {
      key: keys.write.secret,
      rawBody: "firstName=Ada",
      headers: { "content-type": "text/plain" },
    });
    expect(await errorOf(form)).toMatchObject({ status: 415, code: "unsupported_media_type" });
  });
});

describe("a body over the size limit is refused before it is read whole (413)", () => {
  it("when its Content-Length says so: nothing of it is read", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const response = await callApi("POST", "/api/v1/leads", {
      key: keys.write.secret,
      rawBody: stream,
      headers: { "content-type": "application/json", "content-length": String(API_MAX_BODY_BYTES + 1) },
    });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(pulled).toBeLessThanOrEqual(1);
  });
  it("when it comes without a length: reading stops just past the limit", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const response = await callApi("POST", "/api/v1/leads", {
      key: keys.write.secret,
      rawBody: stream,
      headers: { "content-type": "application/json" },
    });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(sent).toBeLessThan(API_MAX_BODY_BYTES + 4 * 64 * 1024);
  });
});

describe("a lead's life through the API", () => {
  it("creates, reads, updates, lists and deletes with the services the app uses, each change in the audit log with the key", async () => {
    const email = `grace-${fx.a.slug}@example.com`;
    const created = await callApi("POST", "/api/v1/leads", {
      key: keys.write.secret,
      body: { firstName: "Grace", lastName: "Hopper", email: email.toUpperCase(), tags: ["api", "vip"], score: 80 },
    });
    expect(created.status).toBe(201);
    const { data: lead } = (await created.json()) as {
      data: { id: string; email: string; ownerId: string; version: string; source: string };
    };
    expect(lead.email.toLowerCase()).toBe(email);
    expect(lead).toMatchObject({ ownerId: fx.a.members.admin.id, source: "manual" });

    const duplicate = await callApi("POST", "/api/v1/leads", { key: keys.write.secret, body: { email } });
    // The lead that holds the address is named by its id, for the program to update it instead.
    expect(await errorOf(duplicate)).toMatchObject({
      status: 409,
      code: "conflict",
      fields: { email: expect.any(Array) },
      existingId: lead.id,
    });

    const got = await callApi("GET", `/api/v1/leads/${lead.id}`, { key: keys.read.secret });
    expect(((await got.json()) as { data: { id: string } }).data.id).toBe(lead.id);

    const updated = await callApi("PATCH", `/api/v1/leads/${lead.id}`, {
      key: keys.write.secret,
      body: { title: "Rear Admiral", version: lead.version },
    });
    expect(updated.status).toBe(200);
    const after = ((await updated.json()) as { data: { title: string; version: string } }).data;
    expect(after.title).toBe("Rear Admiral");
    const stale = await callApi("PATCH", `/api/v1/leads/${lead.id}`, {
      key: keys.write.secret,
      body: { title: "Commodore", version: lead.version },
    });
    expect(await errorOf(stale)).toMatchObject({ status: 409, code: "conflict" });
    const unversioned = await callApi("PATCH", `/api/v1/leads/${lead.id}`, { key: keys.write.secret, body: { city: "Arlington" } });
    expect(unversioned.status).toBe(200);

    const listed = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { tags: "vip", q: "Grace" } });
    expect(((await listed.json()) as { data: { id: string }[] }).data.map((r) => r.id)).toEqual([lead.id]);

    const deleted = await callApi("DELETE", `/api/v1/leads/${lead.id}`, { key: keys.write.secret });
    expect(deleted.status).toBe(204);
    const gone = await callApi("GET", `/api/v1/leads/${lead.id}`, { key: keys.read.secret });
    expect(((await gone.json()) as { data: { deletedAt: string | null } }).data.deletedAt).not.toBeNull();
    const again = await callApi("DELETE", `/api/v1/leads/${lead.id}`, { key: keys.write.secret });
    expect(again.status).toBe(404);

    const audit = await serviceDb()
      .select({ action: auditLog.action, actorId: auditLog.actorId, metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.action, "api_key.used"), eq(auditLog.targetId, keys.write.id)));
    const operations = audit.map((a) => (a.metadata as { operation: string }).operation).sort();
    expect(operations).toEqual(["createLead", "deleteLead", "updateLead", "updateLead"]);
    for (const entry of audit) {
      expect(entry.actorId).toBe(fx.a.members.admin.id);
      expect(entry.metadata).toMatchObject({ api_key_id: keys.write.id });
    }
  });

  it("puts a key's reads in the audit log too, once a minute for each operation", async () => {
    const reader = await createTestApiKey(fx.a, "read");
    for (let i = 0; i < 3; i++) expect((await callApi("GET", "/api/v1/leads", { key: reader.secret })).status).toBe(200);
    expect((await callApi("GET", "/api/v1/companies", { key: reader.secret })).status).toBe(200);
    const audit = await serviceDb()
      .select({ actorId: auditLog.actorId, metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.action, "api_key.used"), eq(auditLog.targetId, reader.id)));
    expect(audit.map((a) => (a.metadata as { operation: string }).operation).sort()).toEqual(["listCompanies", "listLeads"]);
    for (const entry of audit) {
      expect(entry.actorId).toBe(fx.a.members.admin.id);
      expect(entry.metadata).toMatchObject({ api_key_id: reader.id });
    }
  });

  it("lists the same leads, in the same order and pages, as the lead table for the same filter", async () => {
    for (let i = 0; i < 30; i++) {
      await insertTestLead(fx.a, {
        firstName: `Same ${i}`,
        score: i % 7,
        tags: i % 2 ? ["same"] : ["other"],
        status: i % 3 ? "new" : "contacted",
      });
    }
    const query = { tags: "same", status: "new,contacted", sort: "score", dir: "desc", pageSize: "25" };
    const api: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await callApi("GET", "/api/v1/leads", { key: keys.read.secret, query: { ...query, ...(cursor ? { cursor } : {}) } });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: { id: string }[]; nextCursor: string | null };
      api.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);

    const admin = fx.a.members.admin;
    const ui: string[] = [];
    let uiCursor: string | null = null;
    do {
      const { state } = parseLeadListState(new URLSearchParams({ ...query, ...(uiCursor ? { cursor: uiCursor } : {}) }));
      const page = await withUserTx(claimsFor(admin.id, admin.email), (tx) =>
        listLeads(tx, { workspaceId: fx.a.id, userId: admin.id, state }),
      );
      ui.push(...page.rows.map((r) => r.id));
      uiCursor = page.nextCursor;
    } while (uiCursor);
    expect(api).toHaveLength(15);
    expect(api).toEqual(ui);
  });

  it("lists and gets the workspace's companies as the company list does", async () => {
    const listed = await callApi("GET", "/api/v1/companies", { key: keys.read.secret, query: { q: "acme rock" } });
    const page = (await listed.json()) as { data: { id: string; name: string }[] };
    expect(page.data.map((c) => c.id)).toEqual([companyA]);
    const got = await callApi("GET", `/api/v1/companies/${companyA}`, { key: keys.read.secret });
    expect(((await got.json()) as { data: { name: string } }).data.name).toBe("Acme Rockets");
    const other = await callApi("GET", "/api/v1/companies", { key: keys.read.secret, query: { q: "globex" } });
    expect(((await other.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("creates and updates a company, one per domain, and a lead added later at its domain joins it", async () => {
    const domain = `orbital-${fx.a.slug}.example`;
    const created = await callApi("POST", "/api/v1/companies", {
      key: keys.write.secret,
      body: { name: "Orbital Works", domain: `https://www.${domain.toUpperCase()}/about`, employeeCount: 40 },
    });
    expect(created.status).toBe(201);
    const company = ((await created.json()) as { data: { id: string; domain: string; employeeCount: number } }).data;
    expect(company).toMatchObject({ domain, employeeCount: 40 });
    const twice = await callApi("POST", "/api/v1/companies", { key: keys.write.secret, body: { name: "Orbital Again", domain } });
    expect(await errorOf(twice)).toMatchObject({
      status: 409,
      code: "conflict",
      fields: { domain: expect.any(Array) },
      existingId: company.id,
    });
    const taken = await callApi("PATCH", `/api/v1/companies/${companyA}`, { key: keys.write.secret, body: { domain } });
    expect(await errorOf(taken)).toMatchObject({ status: 409, fields: { domain: expect.any(Array) } });

    const updated = await callApi("PATCH", `/api/v1/companies/${company.id}`, {
      key: keys.write.secret,
      body: { industry: "Aerospace", city: null, website: domain, linkedinUrl: "HTTP://LinkedIn.com/company/Orbital-Works/?trk=abc" },
    });
    expect(((await updated.json()) as { data: { industry: string; name: string } }).data).toMatchObject({
      industry: "Aerospace",
      name: "Orbital Works",
      website: `https://${domain}/`,
      linkedinUrl: "https://www.linkedin.com/company/orbital-works",
    });
    const lead = await callApi("POST", "/api/v1/leads", { key: keys.write.secret, body: { email: `pilot@${domain}` } });
    expect(((await lead.json()) as { data: { companyId: string } }).data.companyId).toBe(company.id);
  });

  it("moves a lead to one of the workspace's companies and back to none, and refuses another workspace's company", async () => {
    const lead = await insertTestLead(fx.a, { firstName: "Grace" });
    const companyOf = async (response: Response) => ((await response.json()) as { data: { companyId: string; companyName: string } }).data;
    const linked = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { companyId: companyA } });
    expect(await companyOf(linked)).toMatchObject({ companyId: companyA, companyName: "Acme Rockets" });
    const theirs = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { companyId: companyB } });
    expect(await errorOf(theirs)).toMatchObject({ status: 422, code: "invalid_input", fields: { companyId: expect.any(Array) } });
    const unlinked = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { companyId: null } });
    expect(await companyOf(unlinked)).toMatchObject({ companyId: null, companyName: null });
  });

  it("changes a lead's status and owner as the lead page's menus do: on its timeline, within the key's role, never from a stale version", async () => {
    const lead = await insertTestLead(fx.a, { firstName: "Ada", ownerId: null });
    const read = async (response: Response) =>
      ((await response.json()) as { data: { status: string; ownerId: string | null; version: string } }).data;
    const timeline = async () =>
      (
        await serviceDb().execute<{ type: string; payload: Record<string, unknown> }>(
          sql`select type::text, payload from public.lead_activities where lead_id = ${lead} order by created_at, id`,
        )
      ).map((a) => [a.type, a.payload]);

    const moved = await callApi("PATCH", `/api/v1/leads/${lead}`, {
      key: keys.write.secret,
      body: { status: "meeting", ownerId: fx.a.members.sales_rep.id, title: "CTO" },
    });
    expect(moved.status).toBe(200);
    const after = await read(moved);
    expect(after).toMatchObject({ status: "meeting", ownerId: fx.a.members.sales_rep.id });
    expect(await timeline()).toEqual(
      expect.arrayContaining([
        ["field_changed", expect.objectContaining({ field: "title", after: "CTO" })],
        ["status_changed", { before: "new", after: "meeting" }],
        ["owner_changed", { before: null, after: fx.a.members.sales_rep.id }],
      ]),
    );

    // A version read before that change saves nothing, not even a status alone.
    const stale = await callApi("PATCH", `/api/v1/leads/${lead}`, {
      key: keys.write.secret,
      body: { status: "won", version: "2020-01-01T00:00:00.000000Z" },
    });
    expect(await errorOf(stale)).toMatchObject({ status: 409, code: "conflict" });
    const fresh = await callApi("PATCH", `/api/v1/leads/${lead}`, {
      key: keys.write.secret,
      body: { status: "won", version: after.version },
    });
    expect(await read(fresh)).toMatchObject({ status: "won" });

    // A key whose creator is now a sales rep acts as one: it cannot give the rep's lead to someone else.
    const rep = await createDemotedTestApiKey(fx.a, "sales_rep", "Demoted To Rep");
    const given = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: rep.secret, body: { ownerId: rep.creator.id } });
    expect(await errorOf(given)).toMatchObject({ status: 403, code: "forbidden" });
    const unknown = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { ownerId: fx.b.members.admin.id } });
    expect(await errorOf(unknown)).toMatchObject({ status: 422, code: "invalid_input", fields: { ownerId: expect.any(Array) } });
    // A viewer or an analyst reads leads but cannot work them: no lead is theirs to own.
    for (const member of [fx.a.members.viewer, fx.a.members.analyst]) {
      const toReader = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { ownerId: member.id } });
      expect(await errorOf(toReader)).toMatchObject({ status: 422, code: "invalid_input", fields: { ownerId: expect.any(Array) } });
    }
    const badStatus = await callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { status: "maybe" } });
    expect(await errorOf(badStatus)).toMatchObject({ status: 422, code: "invalid_input", fields: { status: expect.any(Array) } });
    const [row] = await serviceDb().select({ status: leads.status, ownerId: leads.ownerId }).from(leads).where(eq(leads.id, lead));
    expect(row).toEqual({ status: "won", ownerId: fx.a.members.sales_rep.id });
  });

  it("without a version, saves over a teammate's change that lands while the edit waits for the lead (no spurious 409)", async () => {
    const lead = await insertTestLead(fx.a, { firstName: "Race" });
    let patch!: Promise<Response>;
    await serviceDb().transaction(async (tx) => {
      await tx.update(leads).set({ title: "Set by a teammate" }).where(eq(leads.id, lead));
      patch = callApi("PATCH", `/api/v1/leads/${lead}`, { key: keys.write.secret, body: { status: "won" } });
      // Commit only once the edit waits on the lead's row lock, having started before the change.
      for (let i = 0; ; i++) {
        const waiting = await serviceDb().execute(
          sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and query ilike '%leads%'`,
        );
        if (waiting.length > 0) break;
        if (i > 200) throw new Error("the edit never waited for the lead's lock");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    });
    const response = await patch;
    expect(response.status).toBe(200);
    const [row] = await serviceDb().select({ title: leads.title, status: leads.status }).from(leads).where(eq(leads.id, lead));
    expect(row).toEqual({ title: "Set by a teammate", status: "won" });
  });

  it("adds notes to a lead's timeline and reads the timeline back a page at a time, in the lead page's words", async () => {
    const lead = await insertTestLead(fx.a, { firstName: "Linus" });
    const note = async (body: string) =>
      callApi("POST", `/api/v1/leads/${lead}/notes`, { key: keys.write.secret, body: { body } }).then(async (r) => ({
        status: r.status,
        data: ((await r.json()) as { data: { id: string; type: string; actorId: string; actor: string; summary: string; body: string } })
          .data,
      }));
    const first = await note('Called: <b>wants</b> a demo in Q1, "ASAP"');
    expect(first).toMatchObject({
      status: 201,
      data: {
        type: "note_added",
        actorId: fx.a.members.admin.id,
        summary: "added a note",
        body: 'Called: <b>wants</b> a demo in Q1, "ASAP"',
      },
    });
    for (let i = 0; i < 31; i++) await note(`Follow-up ${i}`);

    type Page = { data: { id: string; type: string; body: string | null }[]; nextCursor: string | null };
    const page = async (cursor?: string) =>
      (await (
        await callApi("GET", `/api/v1/leads/${lead}/activities`, { key: keys.read.secret, query: cursor ? { cursor } : {} })
      ).json()) as Page;
    const newest = await page();
    expect(newest.data).toHaveLength(30);
    expect(newest.data[0]!.body).toBe("Follow-up 30");
    const older = await page(newest.nextCursor!);
    expect(older.nextCursor).toBeNull();
    const all = [...newest.data, ...older.data];
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.filter((e) => e.type === "note_added")).toHaveLength(32);
    expect(
      all.at(
        -1 -
          all
            .slice()
            .reverse()
            .findIndex((e) => e.type === "note_added"),
      )!.id,
    ).toBe(first.data.id);

    const unfit = await callApi("GET", `/api/v1/leads/${lead}/activities`, { key: keys.read.secret, query: { cursor: "zzz" } });
    expect(await errorOf(unfit)).toMatchObject({ status: 422, code: "invalid_input", fields: { cursor: expect.any(Array) } });
    // Shaped like the timeline's own, but a day PostgreSQL has not (Date.parse rolls it into March) or year 0.
    for (const day of ["2024-02-30T00:00:00.000000Z", "0000-01-01T00:00:00Z"]) {
      const forged = Buffer.from(`${day}|00000000-0000-0000-0000-000000000000`).toString("base64url");
      const impossible = await callApi("GET", `/api/v1/leads/${lead}/activities`, { key: keys.read.secret, query: { cursor: forged } });
      expect(await errorOf(impossible)).toMatchObject({ status: 422, code: "invalid_input", fields: { cursor: expect.any(Array) } });
    }
    const empty = await callApi("POST", `/api/v1/leads/${lead}/notes`, { key: keys.write.secret, body: { body: "  " } });
    expect(await errorOf(empty)).toMatchObject({ status: 422, fields: { body: ["Write the note first."] } });
    await serviceDb().update(leads).set({ deletedAt: new Date() }).where(eq(leads.id, lead));
    const deleted = await callApi("POST", `/api/v1/leads/${lead}/notes`, { key: keys.write.secret, body: { body: "Too late" } });
    expect(await errorOf(deleted)).toMatchObject({ status: 409, code: "conflict" });
  });

  it("lists the workspace's suppression list, searched, and nothing of another workspace's", async () => {
    await serviceDb()
      .insert(suppressions)
      .values([
        { workspaceId: fx.a.id, kind: "email", value: `gone-${fx.a.slug}@example.com`, reason: "unsubscribe" },
        { workspaceId: fx.b.id, kind: "email", value: `gone-${fx.b.slug}@example.com`, reason: "unsubscribe" },
      ]);
    const response = await callApi("GET", "/api/v1/suppressions", { key: keys.read.secret, query: { q: "gone-" } });
    const page = (await response.json()) as { data: { value: string; reason: string }[]; total: number };
    expect(page.data).toEqual([expect.objectContaining({ value: `gone-${fx.a.slug}@example.com`, reason: "unsubscribe" })]);
    expect(page.total).toBe(1);
  });

  it("lists no lead of another workspace", async () => {
    const response = await callApi("GET", "/api/v1/leads", { key: keys.otherWorkspace.secret, query: { pageSize: "100" } });
    const ids = ((await response.json()) as { data: { id: string }[] }).data.map((r) => r.id);
    expect(ids).toContain(leadB);
    expect(ids).not.toContain(leadA);
  });
});

describe("a key over its limit", () => {
  it("is refused its next reads without their queries running, until its wait is over", async () => {
    const read = () => callApi("GET", `/api/v1/leads/${leadA}`, { key: keys.limited.secret });
    // The refusal that tells this process the key is over its limit (the read beside it ran).
    expect(await errorOf(await read())).toMatchObject({ status: 429, code: "rate_limited" });
    // With the leads table locked, a read that queried it would wait for the lock.
    const holder = await connect(env().DATABASE_URL).sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table public.leads in access exclusive mode`;
      const answer = await Promise.race([read(), new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), 5_000))]);
      if (answer === "waited") throw new Error("the read over the limit queried the leads table");
      expect(await errorOf(answer)).toMatchObject({ status: 429, code: "rate_limited" });
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });
});

describe("a key acts as its creator, never above its scope, in its workspace only", () => {
  /** A JSON body sent in two parts; between them (after the key was checked, as the body is read) `meanwhile` runs. */
  const slowBody = (json: string, meanwhile: () => Promise<unknown>) => {
    const half = Math.floor(json.length / 2);
    let part = 0;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (part === 1) await meanwhile();
        if (part < 2) controller.enqueue(new TextEncoder().encode(part === 0 ? json.slice(0, half) : json.slice(half)));
        else controller.close();
        part++;
      },
    });
  };
  const json = { "content-type": "application/json" };

  it("a key revoked or expired while its write's body is still arriving (401): nothing is written, the bulk upsert's leads neither", async () => {
    const revoked = await createTestApiKey(fx.a, "read_write");
    const email = `slow-${randomSuffix()}@example.com`;
    const created = await callApi("POST", "/api/v1/leads", {
      key: revoked.secret,
      headers: json,
      rawBody: slowBody(JSON.stringify({ firstName: "After", email }), () => revokeTestApiKey(fx.a, revoked)),
    });
    expect(await errorOf(created)).toMatchObject({ status: 401, code: "api_key_revoked" });

    const expired = await createTestApiKey(fx.a, "read_write");
    const bulkEmail = `slow-bulk-${randomSuffix()}@example.com`;
    const bulk = await callApi("POST", "/api/v1/leads/bulk", {
      key: expired.secret,
      headers: json,
      rawBody: slowBody(JSON.stringify({ leads: [{ email: bulkEmail }] }), () => expireTestApiKey(expired)),
    });
    expect(await errorOf(bulk)).toMatchObject({ status: 401, code: "api_key_expired" });
    const written = await serviceDb()
      .select({ id: leads.id })
      .from(leads)
      .where(sql`${leads.email} in (${email}, ${bulkEmail})`);
    expect(written).toEqual([]);
  });

  it("a creator removed, banned or demoted while the body arrives: refused as the creator is now, nothing written (single and bulk)", async () => {
    const emails: string[] = [];
    const write = async (change: (member: TenancyMember) => Promise<unknown>, path: "/api/v1/leads" | "/api/v1/leads/bulk") => {
      const member = await addTestMember(fx.a, "admin", "Slow Admin");
      const slowKey = await createTestApiKey(fx.a, "read_write", { creator: member });
      const email = `slow-creator-${randomSuffix()}@example.com`;
      emails.push(email);
      const body = path === "/api/v1/leads" ? { firstName: "Late", email } : { leads: [{ email }] };
      return errorOf(
        await callApi("POST", path, { key: slowKey.secret, headers: json, rawBody: slowBody(JSON.stringify(body), () => change(member)) }),
      );
    };
    const removed = (m: TenancyMember) =>
      serviceDb()
        .delete(workspaceMembers)
        .where(and(eq(workspaceMembers.workspaceId, fx.a.id), eq(workspaceMembers.userId, m.id)));
    const banned = (m: TenancyMember) =>
      serviceDb().execute(sql`update auth.users set banned_until = now() + interval '1 day' where id = ${m.id}`);
    const demoted = (m: TenancyMember) =>
      serviceDb()
        .update(workspaceMembers)
        .set({ role: "viewer" })
        .where(and(eq(workspaceMembers.workspaceId, fx.a.id), eq(workspaceMembers.userId, m.id)));
    for (const path of ["/api/v1/leads", "/api/v1/leads/bulk"] as const) {
      // Leaving the workspace revokes the keys they made (migration 0141).
      expect(await write(removed, path)).toMatchObject({ status: 401, code: "api_key_revoked" });
      expect(await write(banned, path)).toMatchObject({ status: 401, code: "api_key_inactive" });
      expect(await write(demoted, path)).toMatchObject({ status: 403, code: "forbidden" });
    }
    const written = await serviceDb()
      .select({ id: leads.id })
      .from(leads)
      .where(sql`${leads.email} in ${emails}`);
    expect(written).toEqual([]);
  });

  let creator: TenancyMember;
  let key: TestApiKey;
  beforeAll(async () => {
    creator = await addTestMember(fx.a, "admin", "Keymaker Admin");
    key = await createTestApiKey(fx.a, "read", { creator });
    // The creator is an admin of B too: the key of A must still see nothing of B.
    await serviceDb().insert(workspaceMembers).values({ workspaceId: fx.b.id, userId: creator.id, role: "admin" });
  });

  it("RLS holds a read key to reading, in its own workspace, even for its admin creator", async () => {
    const principal = await authenticateApiKey(serviceDb(), key.secret);
    if (typeof principal === "string") throw new Error(principal);
    expect(principal).toMatchObject({ userId: creator.id, role: "analyst", workspaceId: fx.a.id });
    const insert = await outcome(() =>
      withUserTx(principal.claims, (tx) =>
        tx.insert(leads).values({ workspaceId: fx.a.id, firstName: "Sneaky" }).returning({ id: leads.id }),
      ),
    );
    expect(insert).toBe("denied");
    const seen = await withUserTx(principal.claims, (tx) =>
      tx
        .select({ workspaceId: leads.workspaceId })
        .from(leads)
        .where(sql`${leads.workspaceId} in (${fx.a.id}, ${fx.b.id})`),
    );
    expect(new Set(seen.map((r) => r.workspaceId))).toEqual(new Set([fx.a.id]));
    // The same person without a key sees both workspaces: the cap is the key's, not theirs.
    const asPerson = await asUser(creator, (tx) =>
      tx
        .select({ workspaceId: leads.workspaceId })
        .from(leads)
        .where(sql`${leads.workspaceId} in (${fx.a.id}, ${fx.b.id})`),
    );
    expect(new Set(asPerson.map((r) => r.workspaceId))).toEqual(new Set([fx.a.id, fx.b.id]));
  });

  it("a write key acts as a manager, and as less when its creator is demoted; it stops when they leave", async () => {
    const writer = await createTestApiKey(fx.a, "read_write", { creator });
    const principal = await authenticateApiKey(serviceDb(), writer.secret);
    expect(principal).toMatchObject({ role: "manager" });

    await serviceDb()
      .update(workspaceMembers)
      .set({ role: "viewer" })
      .where(and(eq(workspaceMembers.workspaceId, fx.a.id), eq(workspaceMembers.userId, creator.id)));
    const demoted = await callApi("POST", "/api/v1/leads", { key: writer.secret, body: { firstName: "Demoted" } });
    expect(await errorOf(demoted)).toMatchObject({ status: 403, code: "forbidden" });

    await serviceDb()
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, fx.a.id), eq(workspaceMembers.userId, creator.id)));
    const left = await callApi("GET", "/api/v1/leads", { key: writer.secret });
    // Revoked with the membership (migration 0141), not merely idle until they come back.
    expect(await errorOf(left)).toMatchObject({ status: 401, code: "api_key_revoked" });
  });

  it("a use is noted as the key's last use", async () => {
    const fresh = await createTestApiKey(fx.a, "read");
    await callApi("GET", "/api/v1/leads", { key: fresh.secret });
    const [row] = await serviceDb().execute<{ last_used_at: Date | null }>(sql`select last_used_at from api_keys where id = ${fresh.id}`);
    expect(row?.last_used_at).not.toBeNull();
  });
});
