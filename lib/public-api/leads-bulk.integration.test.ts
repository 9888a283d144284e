import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, companies, leadImports, leads } from "@/db/schema";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import type { ImportMapping } from "@/lib/imports/types";
import { callApi } from "@/tests/fixtures/api-client";
import { createDemotedTestApiKey, createTestApiKey, createTestApiKeys, type TestApiKey, type TestApiKeys } from "@/tests/fixtures/api-keys";
import { createTestImport } from "@/tests/fixtures/imports";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyWorkspace } from "@/tests/fixtures/tenancy";

/**
 * POST /api/v1/leads/bulk: the refusals every endpoint has are in api-v1.integration.test.ts
 * (its ENDPOINTS); here what the upsert does, and that it does what a CSV import does.
 */

let fx: TenancyFixture;
let keys: TestApiKeys;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  keys = await createTestApiKeys(fx);
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

type BulkResult = {
  importId: string;
  counts: { created: number; updated: number; skipped: number; failed: number };
  companiesCreated: number;
  results: { index: number; outcome: string; leadId: string | null; reason: string | null; message: string | null }[];
};

async function bulk(
  key: TestApiKey,
  body: unknown,
): Promise<{ status: number; data: BulkResult; error?: { fields?: Record<string, string[]> } }> {
  const response = await callApi("POST", "/api/v1/leads/bulk", { key: key.secret, body });
  const json = (await response.json()) as { data: BulkResult; error?: { fields?: Record<string, string[]> } };
  return { status: response.status, ...json };
}

const leadByEmail = async (ws: { id: string }, email: string) =>
  (
    await serviceDb()
      .select({ id: leads.id, title: leads.title, companyId: leads.companyId, ownerId: leads.ownerId, tags: leads.tags })
      .from(leads)
      .where(and(eq(leads.workspaceId, ws.id), sql`lower(${leads.email}) = ${email.toLowerCase()}`))
  )[0];

describe("bulk upsert of leads", () => {
  it("creates, updates, skips and fails each lead by its position, with the import's dedupe, in the audit log", async () => {
    const s = fx.a.slug;
    const existing = await insertTestLead(fx.a, { email: `Known-${s}@Example.com`, title: "Old title" });
    const byLinkedIn = await insertTestLead(fx.a, { linkedinUrl: `https://www.linkedin.com/in/linked-${s}` });
    const [company] = await serviceDb()
      .insert(companies)
      .values({ workspaceId: fx.a.id, name: "Initech", domain: `initech-${s}.example` })
      .returning({ id: companies.id });

    const { status, data } = await bulk(keys.write, {
      leads: [
        { firstName: "New", email: `new-${s}@initech-${s}.example`, tags: ["api"] },
        { email: `  KNOWN-${s}@example.com `, title: "New title" },
        { email: `new-${s}@INITECH-${s}.example` },
        { email: "not an address", firstName: "Broken" },
        { firstName: "Nobody", title: "CEO" },
        { linkedinUrl: `linkedin.com/in/linked-${s}/`, city: "Lyon" },
        { email: `known-${s}@example.com`, title: "New title" },
      ],
      tags: ["from-api"],
    });
    expect(status).toBe(200);
    expect(data.results.map((r) => [r.index, r.outcome, r.reason])).toEqual([
      [0, "created", null],
      [1, "updated", null],
      [2, "skipped", "duplicate_in_file"],
      [3, "failed", "invalid_email"],
      [4, "failed", "no_identity"],
      [5, "updated", null],
      [6, "skipped", "duplicate_in_file"],
    ]);
    expect(data.counts).toEqual({ created: 1, updated: 2, skipped: 2, failed: 2 });
    expect(data.results[1]!.leadId).toBe(existing);
    expect(data.results[5]!.leadId).toBe(byLinkedIn);
    expect(data.results[3]!.message).toMatch(/email/i);
    expect(data.results[2]!.message).toBe("Same lead as an earlier one of this call");

    const created = await leadByEmail(fx.a, `new-${s}@initech-${s}.example`);
    expect(created).toMatchObject({ id: data.results[0]!.leadId, companyId: company!.id, ownerId: fx.a.members.admin.id });
    expect(created!.tags).toEqual(["api", "from-api"]);
    expect((await leadByEmail(fx.a, `known-${s}@example.com`))!.title).toBe("New title");

    const [imp] = await serviceDb()
      .select({ status: leadImports.status, preset: leadImports.preset, inserted: leadImports.inserted, failed: leadImports.failed })
      .from(leadImports)
      .where(eq(leadImports.id, data.importId));
    expect(imp).toEqual({ status: "completed", preset: "api", inserted: 1, failed: 2 });
    const audit = await serviceDb()
      .select({ metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.action, "api_key.used"), eq(auditLog.targetId, keys.write.id)));
    expect(audit.map((a) => (a.metadata as { operation: string }).operation)).toContain("bulkUpsertLeads");
  });

  it("gives the same result for each row as a CSV import of the same rows", async () => {
    const seed = async (ws: TenancyWorkspace) => {
      await insertTestLead(ws, { email: "same-a@example.com", title: "Kept" });
      await insertTestLead(ws, { linkedinUrl: "https://www.linkedin.com/in/same-b", title: "Kept" });
      await insertTestLead(ws, { email: "same-c@example.com", deletedAt: new Date() });
    };
    const [one, two] = [await createTenancyFixture(serviceDb()), await createTenancyFixture(serviceDb())];
    try {
      await seed(one.a);
      await seed(two.a);
      const rows: [email: string, linkedin: string, title: string][] = [
        ["SAME-A@example.com", "", "Overwritten"],
        ["", "https://linkedin.com/in/same-b", ""],
        ["same-c@example.com", "", "Deleted"],
        ["same-d@example.com", "", "New"],
        ["Same-D@Example.com", "", "Twice"],
        ["bad@", "", ""],
        ["", "", "Nobody"],
        ["same-e@example.com", "https://www.linkedin.com/in/same-b", "Two identities"],
      ];
      const mapping: ImportMapping = {
        columns: [
          { kind: "field", field: "email" },
          { kind: "field", field: "linkedin_url" },
          { kind: "field", field: "title" },
        ],
      };
      const rules = { onMatch: "overwrite" as const, owner: { kind: "none" as const }, tags: [] };
      const importId = await createTestImport({
        workspaceId: one.a.id,
        createdBy: one.a.members.admin.id,
        headers: ["Email", "LinkedIn", "Title"],
        rows: rows.map((r) => [...r]),
        start: { mapping, rules },
      });
      await runImportBatch({ workspaceId: one.a.id, importId, requestedBy: one.a.members.admin.id });
      const csv = await serviceDb().execute<{ row_number: number; outcome: string; reason: string }>(
        sql`select row_number, outcome::text, reason from public.lead_import_issues where import_id = ${importId} order by row_number`,
      );
      const [counts] = await serviceDb().execute<{ inserted: number; updated: number }>(
        sql`select inserted, updated from public.lead_imports where id = ${importId}`,
      );

      const key = await createTestApiKey(two.a, "read_write");
      const api = await bulk(key, {
        leads: rows.map(([email, linkedinUrl, title]) => ({ email, linkedinUrl, title })),
        owner: { kind: "none" },
      });
      expect(api.status).toBe(200);
      const apiIssues = api.data.results
        .filter((r) => r.outcome === "skipped" || r.outcome === "failed")
        .map((r) => ({ row_number: r.index + 1, outcome: r.outcome, reason: r.reason }));
      expect(apiIssues).toEqual(csv.map((r) => ({ row_number: r.row_number, outcome: r.outcome, reason: r.reason })));
      expect(apiIssues.length).toBeGreaterThanOrEqual(4);
      expect({ inserted: api.data.counts.created, updated: api.data.counts.updated }).toEqual({
        inserted: counts!.inserted,
        updated: counts!.updated,
      });
    } finally {
      await removeTenancyFixture(one, serviceDb());
      await removeTenancyFixture(two, serviceDb());
    }
  });

  it("writes a custom field named constructor on the leads that carry it, and nothing of the kind on the others", async () => {
    const s = fx.a.slug;
    const { status, data } = await bulk(keys.write, {
      leads: [
        { email: `ctor-a-${s}@example.com`, customFields: { constructor: "Acme Works" } },
        { email: `ctor-b-${s}@example.com`, customFields: { segment: "smb" } },
        { email: `ctor-c-${s}@example.com` },
      ],
    });
    expect(status).toBe(200);
    expect(data.counts).toEqual({ created: 3, updated: 0, skipped: 0, failed: 0 });
    const stored = await serviceDb().execute<{ email: string; custom_fields: Record<string, string> }>(sql`
      select email, custom_fields from public.leads where workspace_id = ${fx.a.id} and email like ${`ctor-%-${s}@example.com`} order by email`);
    const expected: Record<string, string>[] = [{ constructor: "Acme Works" }, { segment: "smb" }, {}];
    expect(stored.map((r) => r.custom_fields)).toEqual(expected);
  });

  it("a call sent again unchanged rewrites no lead: its version, last activity and timeline stay as they were", async () => {
    const s = fx.a.slug;
    const call = {
      leads: [
        { email: `resent-a-${s}@example.com`, firstName: "Ada", title: "CTO", tags: ["crm"] },
        { email: `resent-b-${s}@example.com`, lastName: "Byron", city: "London", score: 40 },
      ],
    };
    const first = await bulk(keys.write, call);
    expect(first.data.counts).toEqual({ created: 2, updated: 0, skipped: 0, failed: 0 });
    const ids = first.data.results.map((r) => r.leadId!);
    // A change to one of them: that lead alone is updated, with one more timeline entry.
    const changed = await bulk(keys.write, { leads: [{ ...call.leads[0], title: "CEO" }, call.leads[1]] });
    expect(changed.data.results.map((r) => [r.outcome, r.reason])).toEqual([
      ["updated", null],
      ["skipped", "unchanged"],
    ]);
    const state = () =>
      serviceDb().execute<{ id: string; version: string; updated_at: string; last_activity_at: string; entries: number }>(sql`
        select l.id, l.xmin::text as version, l.updated_at::text, l.last_activity_at::text,
          (select count(*)::int from public.lead_activities a where a.lead_id = l.id) as entries
        from public.leads l where l.id in ${ids} order by l.id`);
    const before = await state();
    expect(before.map((l) => l.entries).sort()).toEqual([1, 2]);

    const again = await bulk(keys.write, { leads: [{ ...call.leads[0], title: "CEO" }, call.leads[1]] });
    expect(again.data.counts).toEqual({ created: 0, updated: 0, skipped: 2, failed: 0 });
    expect(again.data.results.map((r) => [r.outcome, r.reason, r.leadId])).toEqual([
      ["skipped", "unchanged", ids[0]],
      ["skipped", "unchanged", ids[1]],
    ]);
    // Not even a row version written (xmin), so no index entry, trigger or outgoing webhook either.
    expect(await state()).toEqual(before);
  });

  it("never reaches another workspace's leads: the same email makes a lead of the key's workspace", async () => {
    const email = `shared-${fx.b.slug}@example.com`;
    const foreign = await insertTestLead(fx.b, { email, title: "B's title" });
    const { data } = await bulk(keys.write, { leads: [{ email, title: "A's title" }] });
    expect(data.results[0]).toMatchObject({ outcome: "created" });
    expect(data.results[0]!.leadId).not.toBe(foreign);
    expect((await leadByEmail(fx.b, email))!.title).toBe("B's title");
    expect((await leadByEmail(fx.a, email))!.title).toBe("A's title");
    // And the other workspace's key updates its own lead, not A's.
    const other = await bulk(keys.otherWorkspace, { leads: [{ email, title: "B again" }] });
    expect(other.data.results[0]).toMatchObject({ outcome: "updated", leadId: foreign });
    expect((await leadByEmail(fx.a, email))!.title).toBe("A's title");
  });

  it("over the key's rate limit writes nothing (429)", async () => {
    const email = `limited-${fx.a.slug}@example.com`;
    const { status } = await bulk(keys.limited, { leads: [{ email }] });
    expect(status).toBe(429);
    expect(await leadByEmail(fx.a, email)).toBeUndefined();
  });

  it("with a read key writes nothing", async () => {
    const email = `read-only-${fx.a.slug}@example.com`;
    const { status } = await bulk(keys.read, { leads: [{ email }] });
    expect(status).toBe(403);
    expect(await leadByEmail(fx.a, email)).toBeUndefined();
  });

  it("a sales rep's key skips leads another rep owns, as their import would", async () => {
    // Keys are made by admins: this one's creator is then made a sales rep, which caps the key.
    const key = await createDemotedTestApiKey(fx.a, "sales_rep", "Bulk Rep");
    const rep = key.creator;
    const other = await addTestMember(fx.a, "sales_rep", "Other Rep");
    const email = `owned-${fx.a.slug}@example.com`;
    await insertTestLead(fx.a, { email, ownerId: other.id, title: "Theirs" });
    const { data } = await bulk(key, { leads: [{ email, title: "Mine now" }, { email: `rep-new-${fx.a.slug}@example.com` }] });
    expect(data.results.map((r) => [r.outcome, r.reason])).toEqual([
      ["skipped", "not_permitted"],
      ["created", null],
    ]);
    expect((await leadByEmail(fx.a, email))!.title).toBe("Theirs");
    expect((await leadByEmail(fx.a, `rep-new-${fx.a.slug}@example.com`))!.ownerId).toBe(rep.id);
  });

  it("a sales rep's key cannot share the new leads with another rep, as their import cannot (403), instead of leaving them out", async () => {
    const key = await createDemotedTestApiKey(fx.a, "sales_rep", "Sharing Rep");
    const other = await addTestMember(fx.a, "sales_rep", "Shared Rep");
    const email = `rep-shared-${fx.a.slug}@example.com`;
    const response = await callApi("POST", "/api/v1/leads/bulk", {
      key: key.secret,
      body: { leads: [{ email }], owner: { kind: "round_robin", userIds: [key.creator.id, other.id] } },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "forbidden",
      message: "As a sales rep you can give imported leads only to yourself. Ask a manager to share them out.",
    });
    expect(await leadByEmail(fx.a, email)).toBeUndefined();
  });
});

describe("bulk upsert refuses a call with 422 naming the field", () => {
  const fieldsOf = async (body: unknown) => {
    const { status, error } = await bulk(keys.write, body);
    expect(status).toBe(422);
    return error!.fields!;
  };

  it("over 1,000 leads, or none", async () => {
    const many = Array.from({ length: 1_001 }, (_, i) => ({ email: `many-${i}@example.com` }));
    expect((await fieldsOf({ leads: many })).leads).toEqual([expect.stringContaining("At most 1,000 leads")]);
    expect(await fieldsOf({ leads: [] })).toHaveProperty("leads");
    const [{ n }] = (await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int as n from public.leads where workspace_id = ${fx.a.id} and email like 'many-%'`,
    )) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it("a misspelt field of a lead, a value of the wrong type, a rule nobody knows", async () => {
    expect(await fieldsOf({ leads: [{ email: "a@example.com" }, { emial: "b@example.com" }] })).toHaveProperty(["leads.1.emial"]);
    expect(await fieldsOf({ leads: [{ email: "a@example.com", score: "high" }] })).toHaveProperty(["leads.0.score"]);
    expect(await fieldsOf({ leads: [{ email: "a@example.com" }], onMatch: "replace" })).toHaveProperty("onMatch");
    expect(await fieldsOf({ leads: [{ email: "a@example.com", tags: ["a,b"] }] })).toHaveProperty(["leads.0.tags.0"]);
  });

  it("more custom fields than a CSV mapping has columns: on one lead, or between the leads of the call", async () => {
    const s = fx.a.slug;
    const fieldsNamed = (from: number, count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`field_${from + i}`, "x"]));
    // 500 different between them is what a mapping of 500 columns carries: accepted.
    const most = await bulk(keys.write, {
      leads: [
        { email: `custom-a-${s}@example.com`, customFields: fieldsNamed(0, 300) },
        { email: `custom-b-${s}@example.com`, customFields: fieldsNamed(200, 300) },
      ],
    });
    expect(most.status).toBe(200);
    expect(most.data.counts.created).toBe(2);
    // One more, brought by the third lead: refused, naming that lead's custom fields, and nothing written.
    const over = await fieldsOf({
      leads: [
        { email: `custom-c-${s}@example.com`, customFields: fieldsNamed(0, 300) },
        { email: `custom-d-${s}@example.com`, customFields: fieldsNamed(0, 300) },
        { email: `custom-e-${s}@example.com`, customFields: fieldsNamed(300, 201) },
      ],
    });
    expect(Object.keys(over)).toEqual(["leads.2.customFields"]);
    expect(over["leads.2.customFields"]).toEqual([expect.stringContaining("500")]);
    expect(await fieldsOf({ leads: [{ email: `custom-f-${s}@example.com`, customFields: fieldsNamed(0, 501) }] })).toHaveProperty([
      "leads.0.customFields",
    ]);
    for (const name of ["c", "d", "e", "f"]) expect(await leadByEmail(fx.a, `custom-${name}-${s}@example.com`)).toBeUndefined();
  });

  it("an owner with a field nobody knows", async () => {
    const email = `owner-typo-${fx.a.slug}@example.com`;
    expect(await fieldsOf({ leads: [{ email }], owner: { kind: "none", x: 1 } })).toHaveProperty(["owner.x"]);
    expect(await fieldsOf({ leads: [{ email }], owner: { kind: "member", userId: fx.a.members.admin.id, userIds: [] } })).toHaveProperty([
      "owner.userIds",
    ]);
    expect(await leadByEmail(fx.a, email)).toBeUndefined();
  });

  it("round-robin owners among whom one is no member, as an import refuses them, instead of leaving them out", async () => {
    const email = `round-robin-${fx.a.slug}@example.com`;
    const fields = await fieldsOf({
      leads: [{ email }],
      owner: { kind: "round_robin", userIds: [fx.a.members.admin.id, fx.b.members.admin.id] },
    });
    expect(fields).toHaveProperty("owner");
    expect(await leadByEmail(fx.a, email)).toBeUndefined();
  });

  it("an owner who is no member of the workspace", async () => {
    const foreignOwner = fx.b.members.admin.id;
    const fields = await fieldsOf({
      leads: [{ email: `owned-by-b-${fx.a.slug}@example.com` }],
      owner: { kind: "member", userId: foreignOwner },
    });
    expect(fields).toHaveProperty("owner");
    expect(await leadByEmail(fx.a, `owned-by-b-${fx.a.slug}@example.com`)).toBeUndefined();
  });
});
