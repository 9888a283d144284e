import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, suppressions } from "@/db/schema";
import { addSuppression } from "@/lib/suppressions/add-suppression";
import { callApi } from "@/tests/fixtures/api-client";
import { createDemotedTestApiKey, createTestApiKeys, type TestApiKey, type TestApiKeys } from "@/tests/fixtures/api-keys";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { REMOVE_SUPPRESSION_REFUSAL } from "./routes/suppressions";

let fx: TenancyFixture;
let keys: TestApiKeys;
let demotedKey: TestApiKey;
let entryA: string;
let entryB: string;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  keys = await createTestApiKeys(fx);
  // An admin who made a write key and is a sales rep now: the key acts as a sales rep, who may not add.
  demotedKey = await createDemotedTestApiKey(fx.a, "sales_rep");
  entryA = (
    await addSuppression(serviceDb(), { workspaceId: fx.a.id, kind: "email", value: `kept-${fx.a.slug}@example.com`, reason: "bounce" })
  ).id;
  entryB = (
    await addSuppression(serviceDb(), { workspaceId: fx.b.id, kind: "email", value: `kept-${fx.b.slug}@example.com`, reason: "bounce" })
  ).id;
});

afterAll(async () => {
  await removeTenancyFixture(fx, serviceDb());
});

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; fields?: Record<string, string[]> } };
  return { status: response.status, code: body.error.code, message: body.error.message, fields: body.error.fields };
}

const entriesOf = async (workspaceId: string) =>
  (await serviceDb().select({ value: suppressions.value }).from(suppressions).where(eq(suppressions.workspaceId, workspaceId)))
    .map((r) => r.value)
    .sort();

const ENDPOINTS = [
  { name: "add to the suppression list", method: "POST", path: () => "/api/v1/suppressions", body: { value: "never@example.com" } },
  { name: "remove from the suppression list", method: "DELETE", path: () => `/api/v1/suppressions/${entryA}`, body: undefined },
];

describe.each(ENDPOINTS)("$name refuses, changing nothing", (endpoint) => {
  let before: string[];
  beforeAll(async () => {
    before = await entriesOf(fx.a.id);
  });
  afterAll(async () => {
    expect(await entriesOf(fx.a.id)).toEqual(before);
  });
  const call = (key: string | null) => callApi(endpoint.method, endpoint.path(), { key, body: endpoint.body });

  it("no key (401)", async () => {
    expect(await errorOf(await call(null))).toMatchObject({ status: 401, code: "missing_api_key" });
  });
  it("a revoked key (401)", async () => {
    expect(await errorOf(await call(keys.revoked.secret))).toMatchObject({ status: 401, code: "api_key_revoked" });
  });
  it("an expired key (401)", async () => {
    expect(await errorOf(await call(keys.expired.secret))).toMatchObject({ status: 401, code: "api_key_expired" });
  });
  it("a read key (403 insufficient_scope)", async () => {
    expect(await errorOf(await call(keys.read.secret))).toMatchObject({ status: 403, code: "insufficient_scope" });
  });
  it("a key over its rate limit (429 with Retry-After)", async () => {
    const response = await call(keys.limited.secret);
    expect(await errorOf(response)).toMatchObject({ status: 429, code: "rate_limited" });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("paging through the list, as a CRM syncing its do-not-contact list does", () => {
  it("goes on from where the last page ended even when that entry is removed between pages, and sees every other entry once", async () => {
    const marker = `paged-${fx.a.slug}`;
    // One statement: the 60 share their created_at, so the order rests on the ids.
    await serviceDb().execute(sql`
      insert into public.suppressions (workspace_id, kind, value, reason)
      select ${fx.a.id}, 'email', ${marker} || '-' || i || '@example.com', 'manual' from generate_series(1, 60) as i`);
    type Page = { data: { id: string; value: string }[]; total: number; nextAfter: string | null };
    const read = async (after?: string) =>
      (await (
        await callApi("GET", "/api/v1/suppressions", { key: keys.read.secret, query: { q: marker, ...(after ? { after } : {}) } })
      ).json()) as Page;
    const first = await read();
    expect(first.data).toHaveLength(50);
    expect(first.nextAfter).toEqual(expect.any(String));
    // An admin removes the entry the first page ended at before the sync asks for the next one.
    await serviceDb()
      .delete(suppressions)
      .where(eq(suppressions.id, first.data.at(-1)!.id));
    const second = await read(first.nextAfter!);
    expect(second.data).toHaveLength(10);
    expect(second.nextAfter).toBeNull();
    expect(second.total).toBe(59);
    const seen = [...first.data, ...second.data].map((r) => r.value);
    expect(new Set(seen).size).toBe(60);
    // A sync that kept a page link from before the cursor (an entry's id) goes on from that entry.
    const legacy = await read(first.data[48]!.id);
    expect(legacy.data.map((r) => r.id)).toEqual(second.data.map((r) => r.id));
  });
});

describe("adding through the API (a read and write key acts as a manager, who may add)", () => {
  it("adds an address, as Settings → Suppression does, audited with the key", async () => {
    const response = await callApi("POST", "/api/v1/suppressions", {
      key: keys.write.secret,
      body: { value: " DNC@Client.example ", note: "From the CRM" },
    });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    expect(data).toMatchObject({
      kind: "email",
      value: "dnc@client.example",
      reason: "manual",
      note: "From the CRM",
      createdByName: fx.a.members.admin.fullName,
    });
    const domain = await callApi("POST", "/api/v1/suppressions", { key: keys.write.secret, body: { value: "@rival.example" } });
    expect(((await domain.json()) as { data: unknown }).data).toMatchObject({ kind: "domain", value: "rival.example" });
    // A free-mail provider's whole domain needs confirmBroad, named in the 422.
    const broad = await callApi("POST", "/api/v1/suppressions", { key: keys.write.secret, body: { value: "yahoo.com" } });
    expect(broad.status).toBe(422);
    expect(await broad.json()).toMatchObject({
      error: { code: "invalid_input", fields: { confirmBroad: [expect.stringMatching(/^yahoo\.com is a free email provider/)] } },
    });
    const confirmed = await callApi("POST", "/api/v1/suppressions", {
      key: keys.write.secret,
      body: { value: "yahoo.com", confirmBroad: true },
    });
    expect(confirmed.status).toBe(201);
    expect(await entriesOf(fx.a.id)).toEqual(expect.arrayContaining(["dnc@client.example", "rival.example", "yahoo.com"]));
    expect(await entriesOf(fx.b.id)).not.toContain("dnc@client.example");
    const audits = await serviceDb()
      .select({ action: auditLog.action, metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.targetId, data.id as string)));
    expect(audits).toEqual([{ action: "suppression.added", metadata: expect.objectContaining({ api_key_id: keys.write.id }) }]);
  });

  it("refuses an entry already on the list (409), saying why it is there", async () => {
    const response = await callApi("POST", "/api/v1/suppressions", {
      key: keys.write.secret,
      body: { value: `KEPT-${fx.a.slug}@example.com` },
    });
    expect(await errorOf(response)).toMatchObject({
      status: 409,
      code: "conflict",
      message: `kept-${fx.a.slug}@example.com is already on the suppression list (bounced).`,
      fields: { value: expect.any(Array) },
    });
  });

  it("refuses a key whose creator is now below manager, with the route's words (403)", async () => {
    const response = await callApi("POST", "/api/v1/suppressions", { key: demotedKey.secret, body: { value: "rep@example.com" } });
    expect(await errorOf(response)).toEqual({
      status: 403,
      code: "forbidden",
      message: "This API key's role does not allow this.",
      fields: undefined,
    });
    expect(await entriesOf(fx.a.id)).not.toContain("rep@example.com");
  });

  it("refuses invalid input with 422 naming the field", async () => {
    const none = await callApi("POST", "/api/v1/suppressions", { key: keys.write.secret, body: { note: "no value" } });
    expect(await errorOf(none)).toMatchObject({ status: 422, fields: { value: expect.any(Array) } });
    const notOne = await callApi("POST", "/api/v1/suppressions", { key: keys.write.secret, body: { value: "not an address" } });
    expect(await errorOf(notOne)).toMatchObject({ status: 422, code: "invalid_input", fields: { value: expect.any(Array) } });
    const typo = await callApi("POST", "/api/v1/suppressions", {
      key: keys.write.secret,
      body: { value: "a@b.example", reason: "bounce" },
    });
    expect(await errorOf(typo)).toMatchObject({ status: 422, fields: { reason: [expect.stringContaining("Unknown field")] } });
  });
});

describe("removing through the API stays with admins in the app", () => {
  it("refuses a write key (403), saying where it is done, and the entry stays", async () => {
    const response = await callApi("DELETE", `/api/v1/suppressions/${entryA}`, { key: keys.write.secret });
    expect(await errorOf(response)).toEqual({ status: 403, code: "forbidden", message: REMOVE_SUPPRESSION_REFUSAL, fields: undefined });
    expect(REMOVE_SUPPRESSION_REFUSAL).toContain("only an admin does it, in Settings → Suppression");
    const [row] = await serviceDb().execute<{ n: number }>(sql`select count(*)::int as n from public.suppressions where id = ${entryA}`);
    expect(row?.n).toBe(1);
  });

  it("answers another workspace's entry the same way, telling nothing of it, and it stays", async () => {
    const response = await callApi("DELETE", `/api/v1/suppressions/${entryB}`, { key: keys.write.secret });
    expect(await errorOf(response)).toMatchObject({ status: 403, code: "forbidden", message: REMOVE_SUPPRESSION_REFUSAL });
    expect(await entriesOf(fx.b.id)).toEqual([`kept-${fx.b.slug}@example.com`]);
  });
});
