import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { leadImports, leads } from "@/db/schema";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import { callApi } from "@/tests/fixtures/api-client";
import { createTestApiKeys, type TestApiKey, type TestApiKeys } from "@/tests/fixtures/api-keys";
import { createTestImport } from "@/tests/fixtures/imports";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { API_UPLOAD_MAX_BYTES } from "./read-body";

/**
 * Imports through the API: POST /api/v1/imports (upload and start), GET /api/v1/imports/{id}
 * and its /issues. The refusals every endpoint has are in api-v1.integration.test.ts (ENDPOINTS).
 */

let fx: TenancyFixture;
let keys: TestApiKeys;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  keys = await createTestApiKeys(fx);
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

function form(csv: string | null, fields: Record<string, string> = {}, fileName = "people.csv"): FormData {
  const data = new FormData();
  if (csv !== null) data.set("file", new File([csv], fileName, { type: "text/csv" }));
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

type Progress = { id: string; status: string; totalRows: number; inserted: number; updated: number; skipped: number; failed: number };
type ErrorBody = { error: { code: string; fields?: Record<string, string[]> } };

const upload = (key: TestApiKey, data: FormData) => callApi("POST", "/api/v1/imports", { key: key.secret, rawBody: data });
const importsOf = async (ws: { id: string }) =>
  (await serviceDb().select({ id: leadImports.id }).from(leadImports).where(eq(leadImports.workspaceId, ws.id))).map((r) => r.id);

async function runToEnd(importId: string) {
  for (let i = 0; i < 100; i++) {
    const { status } = await runImportBatch({ workspaceId: fx.a.id, importId, requestedBy: fx.a.members.admin.id });
    if (status !== "running" && status !== "queued") return;
  }
}

describe("importing a CSV file through the API", () => {
  it("uploads and starts it with a mapping, follows its progress and pages through its failed and skipped rows", async () => {
    const s = fx.a.slug;
    const rows = [
      `ada-${s}@example.com,Ada,Lovelace`,
      `ADA-${s}@example.com,Ada,Again`,
      ...Array.from({ length: 104 }, (_, i) => `broken-${i},Bad,Row`),
      `grace-${s}@example.com,Grace,Hopper`,
    ];
    const mapping = { columns: [{ kind: "field", field: "email" }, { kind: "field", field: "first_name" }, { kind: "ignore" }] };
    const response = await upload(
      keys.write,
      form(["Work Email,Given,Family", ...rows].join("\n"), {
        mapping: JSON.stringify(mapping),
        rules: JSON.stringify({ onMatch: "skip", owner: { kind: "none" }, tags: ["api-import"] }),
      }),
    );
    expect(response.status).toBe(202);
    const started = ((await response.json()) as { data: Progress }).data;
    expect(started).toMatchObject({ status: "queued", totalRows: 107 });
    // The job is queued as the Imports page queues it.
    const [event] = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int as n from public.job_events where name = 'leads/import.requested' and data->>'importId' = ${started.id}`,
    );
    expect(event?.n).toBe(1);

    await runToEnd(started.id);
    const progress = await callApi("GET", `/api/v1/imports/${started.id}`, { key: keys.write.secret });
    const done = ((await progress.json()) as { data: Progress }).data;
    expect(done).toMatchObject({ status: "completed", inserted: 2, skipped: 1, failed: 104 });
    // A read key (an analyst at most) follows the import the write key started, and reads its issues.
    const asReader = await callApi("GET", `/api/v1/imports/${started.id}`, { key: keys.read.secret });
    expect(asReader.status).toBe(200);
    expect(((await asReader.json()) as { data: Progress }).data).toEqual(done);
    const readerIssues = await callApi("GET", `/api/v1/imports/${started.id}/issues`, {
      key: keys.read.secret,
      query: { outcome: "skipped" },
    });
    expect(readerIssues.status).toBe(200);
    expect(((await readerIssues.json()) as { data: { rowNumber: number; fields: Record<string, string> }[] }).data).toEqual([
      expect.objectContaining({ rowNumber: 2, fields: { "Work Email": `ADA-${s}@example.com`, Given: "Ada", Family: "Again" } }),
    ]);
    const [ada] = await serviceDb()
      .select({ firstName: leads.firstName, tags: leads.tags })
      .from(leads)
      .where(and(eq(leads.workspaceId, fx.a.id), eq(leads.email, `ada-${s}@example.com`)));
    expect(ada).toEqual({ firstName: "Ada", tags: ["api-import"] });

    type Issues = {
      data: { rowNumber: number; outcome: string; reason: string; fields: Record<string, string> }[];
      nextAfter: number | null;
    };
    const first = (await (await callApi("GET", `/api/v1/imports/${started.id}/issues`, { key: keys.write.secret })).json()) as Issues;
    expect(first.data).toHaveLength(100);
    expect(first.data[0]).toMatchObject({ rowNumber: 2, outcome: "skipped", reason: "duplicate_in_file" });
    expect(first.data[1]).toMatchObject({
      rowNumber: 3,
      outcome: "failed",
      reason: "invalid_email",
      fields: { "Work Email": "broken-0", Given: "Bad", Family: "Row" },
    });
    const second = (await (
      await callApi("GET", `/api/v1/imports/${started.id}/issues`, { key: keys.write.secret, query: { after: String(first.nextAfter) } })
    ).json()) as Issues;
    expect(second.data.map((r) => r.rowNumber)).toEqual([102, 103, 104, 105, 106]);
    expect(second.nextAfter).toBeNull();
    const skipped = (await (
      await callApi("GET", `/api/v1/imports/${started.id}/issues`, { key: keys.write.secret, query: { outcome: "skipped" } })
    ).json()) as Issues;
    expect(skipped.data.map((r) => r.rowNumber)).toEqual([2]);
  });

  it("maps the file with a preset, or the one its header is detected as", async () => {
    const csv = `First Name,Last Name,Email\nLin,Chen,lin-${fx.a.slug}@example.com\n`;
    const byPreset = await upload(keys.write, form(csv, { preset: "generic" }));
    expect(byPreset.status).toBe(202);
    const detected = await upload(keys.write, form(csv.replace("lin-", "lin2-")));
    expect(detected.status).toBe(202);
    for (const response of [byPreset, detected]) {
      const { id } = ((await response.json()) as { data: Progress }).data;
      const [row] = await serviceDb().select({ preset: leadImports.preset }).from(leadImports).where(eq(leadImports.id, id));
      expect(row?.preset).toBe("generic");
      await runToEnd(id);
    }
    const found = await serviceDb()
      .select({ lastName: leads.lastName })
      .from(leads)
      .where(and(eq(leads.workspaceId, fx.a.id), sql`${leads.email} like ${`lin%-${fx.a.slug}@example.com`}`));
    expect(found).toEqual([{ lastName: "Chen" }, { lastName: "Chen" }]);
  });

  it("never shows another workspace's import (404)", async () => {
    const theirs = await createTestImport({
      workspaceId: fx.b.id,
      createdBy: fx.b.members.admin.id,
      headers: ["Email"],
      rows: [["x@example.com"]],
    });
    for (const path of [`/api/v1/imports/${theirs}`, `/api/v1/imports/${theirs}/issues`]) {
      for (const key of [keys.write, keys.read]) {
        const response = await callApi("GET", path, { key: key.secret });
        expect(response.status).toBe(404);
        expect(((await response.json()) as ErrorBody).error.code).toBe("not_found");
      }
    }
    // Its own workspace's key reads it.
    expect((await callApi("GET", `/api/v1/imports/${theirs}`, { key: keys.otherWorkspace.secret })).status).toBe(200);
  });
});

describe("an upload is refused, leaving no import behind", () => {
  const refused = async (key: TestApiKey, data: FormData, status: number) => {
    const before = await importsOf(fx.a);
    const response = await upload(key, data);
    expect(response.status).toBe(status);
    expect(await importsOf(fx.a)).toEqual(before);
    return ((await response.json()) as ErrorBody).error;
  };
  const csv = "Email,Name\nz@example.com,Zed\n";

  it("with a read key (403)", async () => {
    expect(await refused(keys.read, form(csv, { preset: "generic" }), 403)).toMatchObject({ code: "insufficient_scope" });
  });
  it("a mapping whose columns do not fit the file (422 naming mapping)", async () => {
    const mapping = JSON.stringify({ columns: [{ kind: "field", field: "email" }] });
    expect((await refused(keys.write, form(csv, { mapping }), 422)).fields).toHaveProperty("mapping");
  });
  it("a mapping without an email or LinkedIn column (422 naming it)", async () => {
    const mapping = JSON.stringify({ columns: [{ kind: "ignore" }, { kind: "field", field: "first_name" }] });
    expect((await refused(keys.write, form(csv, { mapping }), 422)).fields).toHaveProperty(["mapping.columns"]);
  });
  it("a mapping or rules that are not JSON, a preset nobody knows, both a mapping and a preset, a field nobody knows", async () => {
    expect((await refused(keys.write, form(csv, { mapping: "{email" }), 422)).fields).toHaveProperty("mapping");
    expect((await refused(keys.write, form(csv, { rules: "skip" }), 422)).fields).toHaveProperty("rules");
    expect((await refused(keys.write, form(csv, { preset: "hubspot" }), 422)).fields).toHaveProperty("preset");
    const mapping = JSON.stringify({ columns: [{ kind: "field", field: "email" }, { kind: "ignore" }] });
    expect((await refused(keys.write, form(csv, { mapping, preset: "generic" }), 422)).fields).toHaveProperty("mapping");
    expect((await refused(keys.write, form(csv, { presett: "generic" }), 422)).fields).toHaveProperty("presett");
  });
  it("no file, an empty one, or a header without rows (422 naming file)", async () => {
    expect((await refused(keys.write, form(null, { preset: "generic" }), 422)).fields).toHaveProperty("file");
    expect((await refused(keys.write, form("", { preset: "generic" }), 422)).fields).toHaveProperty("file");
    expect((await refused(keys.write, form("Email,Name\n", { preset: "generic" }), 422)).fields).toHaveProperty("file");
  });
  it("a body that is not a form (415)", async () => {
    const response = await callApi("POST", "/api/v1/imports", { key: keys.write.secret, body: { file: "Email\nx@example.com" } });
    expect(response.status).toBe(415);
  });
  it("a file over the limit, before it is read (413)", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x41));
      },
    });
    const response = await callApi("POST", "/api/v1/imports", {
      key: keys.write.secret,
      rawBody: stream,
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(API_UPLOAD_MAX_BYTES + 1) },
    });
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
  });
});
