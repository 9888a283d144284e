import { and, eq, sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { leadImports, leads, workspaceMembers } from "@/db/schema";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import { claimUploadSlot } from "@/lib/imports/upload/upload-slots";
import { importUploadsPerUser, workspaceLimit } from "@/lib/rate-limit/policies";
import { secondsUntilAllowed } from "@/lib/rate-limit/request-limit";
import { storedLimiter, subjectKey } from "@/lib/rate-limit/store";
import { callApi } from "@/tests/fixtures/api-client";
import { createTestApiKey, createTestApiKeys, revokeTestApiKey, type TestApiKey, type TestApiKeys } from "@/tests/fixtures/api-keys";
import { createTestImport } from "@/tests/fixtures/imports";
import { addTestMember } from "@/tests/fixtures/leads";
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
// In id order: an import updated meanwhile (another test's run) moves in the heap.
const importsOf = async (ws: { id: string }) =>
  (
    await serviceDb().select({ id: leadImports.id }).from(leadImports).where(eq(leadImports.workspaceId, ws.id)).orderBy(leadImports.id)
  ).map((r) => r.id);

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
  it("rules whose tags hold a NUL (written as \\u0000 inside the form's JSON): 422 naming the tag, no import stored", async () => {
    const before = await importsOf(fx.a);
    const rules = JSON.stringify({ onMatch: "skip", owner: { kind: "none" }, tags: ["a\u0000b"] });
    expect((await refused(keys.write, form(csv, { preset: "generic", rules }), 422)).fields).toHaveProperty(["rules.tags.0"]);
    expect(await importsOf(fx.a)).toEqual(before);
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
  it("a rules or mapping JSON with a field nobody knows, rather than ignoring it (422 naming it)", async () => {
    // A key of its own: these uploads count against its creator's uploads per hour.
    const key = await createTestApiKey(fx.a, "read_write", { creator: await addTestMember(fx.a, "admin", "Typo Uploader") });
    const rules = (extra: Record<string, unknown>, owner: Record<string, unknown> = { kind: "none" }) =>
      JSON.stringify({ onMatch: "skip", owner, tags: [], ...extra });
    const typo = await refused(key, form(csv, { preset: "generic", rules: rules({ tagz: ["vip"] }) }), 422);
    expect(typo.fields).toHaveProperty(["rules.tagz"]);
    const owner = await refused(key, form(csv, { preset: "generic", rules: rules({}, { kind: "none", x: 1 }) }), 422);
    expect(owner.fields).toHaveProperty(["rules.owner.x"]);
    const mapping = JSON.stringify({
      columns: [
        { kind: "field", field: "email" },
        { kind: "ignore", field: "first_name" },
      ],
    });
    expect((await refused(key, form(csv, { mapping }), 422)).fields).toHaveProperty(["mapping.columns.1.field"]);
  });
});

/**
 * A multipart body with the CSV in `file`, handed over a few hundred bytes at a time and counting
 * how many times it was pulled: a stream reads one chunk ahead by itself, so 1 means unread.
 */
function streamedForm(csv: string, meanwhile?: () => Promise<unknown>) {
  const boundary = "lip-test-boundary";
  const bytes = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
  );
  let offset = 0;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      pulled += 1;
      // Half-way through the file, something changes (the key's creator leaves, say).
      if (meanwhile && offset >= bytes.length / 2 && offset - 256 < bytes.length / 2) await meanwhile();
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += 256)));
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, pulled: () => pulled };
}

const manyRows = (tag: string) => ["Email", ...Array.from({ length: 100 }, (_, i) => `streamed-${tag}-${i}@example.com`)].join("\n");

async function uploadStreamed(key: TestApiKey, tag: string) {
  const form = streamedForm(manyRows(tag));
  const response = await callApi("POST", "/api/v1/imports", {
    key: key.secret,
    rawBody: form.body,
    headers: { "content-type": form.contentType },
  });
  return { response, pulled: form.pulled() };
}

describe("a creator who loses the workspace, or the right to import, or a key revoked, while the file arrives", () => {
  const uploadWhile = async (name: string, change: (membership: SQL, key: TestApiKey) => Promise<unknown>) => {
    const creator = await addTestMember(fx.a, "admin", name);
    const key = await createTestApiKey(fx.a, "read_write", { creator });
    const membership = and(eq(workspaceMembers.workspaceId, fx.a.id), eq(workspaceMembers.userId, creator.id))!;
    const form = streamedForm(manyRows(name.replace(/\W/g, "")), () => change(membership, key));
    const response = await callApi("POST", "/api/v1/imports", {
      key: key.secret,
      rawBody: form.body,
      headers: { "content-type": form.contentType },
    });
    // Not started, and not left waiting for a mapping either: the stored file is gone too.
    const left = await serviceDb()
      .select({ id: leadImports.id, status: leadImports.status })
      .from(leadImports)
      .where(and(eq(leadImports.workspaceId, fx.a.id), eq(leadImports.createdBy, creator.id)));
    return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code, left };
  };

  it("removed: refused as a key revoked with its creator's membership is (401), and nothing of the file is kept", async () => {
    const removed = await uploadWhile("Leaving Uploader", (m) => serviceDb().delete(workspaceMembers).where(m));
    expect(removed).toEqual({ status: 401, code: "api_key_revoked", left: [] });
  });
  it("demoted to viewer: refused as their role now is (403), and nothing of the file is kept", async () => {
    const demoted = await uploadWhile("Demoted Uploader", (m) => serviceDb().update(workspaceMembers).set({ role: "viewer" }).where(m));
    expect(demoted).toEqual({ status: 403, code: "forbidden", left: [] });
  });
  it("the key revoked: refused (401), and nothing of the file is kept", async () => {
    const revoked = await uploadWhile("Revoked Uploader", (_, key) => revokeTestApiKey(fx.a, key));
    expect(revoked).toEqual({ status: 401, code: "api_key_revoked", left: [] });
  });
});

describe("uploads are counted and capped before the body is read", () => {
  it("the key's creator over their uploads per hour, counted with their uploads on the Imports page (429, unread)", async () => {
    const creator = await addTestMember(fx.a, "admin", "Busy Uploader");
    const key = await createTestApiKey(fx.a, "read_write", { creator });
    const perUser = importUploadsPerUser();
    // All but one of the hour's uploads already made on the Imports page (which counts the same limit).
    await storedLimiter(perUser.name, perUser).penalty(subjectKey(creator.id), perUser.points - 1);
    const last = await uploadStreamed(key, "last");
    expect(last.response.status).toBe(202);
    expect(await secondsUntilAllowed(perUser, creator.id)).toBeGreaterThan(0);

    const before = await importsOf(fx.a);
    const { response, pulled } = await uploadStreamed(key, "over");
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await response.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "rate_limited",
      message: expect.stringContaining(`${perUser.points} files within the last hour`),
    });
    expect(pulled).toBeLessThanOrEqual(1);
    expect(await importsOf(fx.a)).toEqual(before);
  });

  it("a workspace over its uploads per hour (429, unread)", async () => {
    const perWorkspace = workspaceLimit("uploads");
    const limiter = storedLimiter(perWorkspace.name, perWorkspace);
    await limiter.penalty(subjectKey(fx.b.id), perWorkspace.points);
    try {
      const before = await importsOf(fx.b);
      const { response, pulled } = await uploadStreamed(keys.otherWorkspace, "workspace");
      expect(response.status).toBe(429);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("This workspace has uploaded");
      expect(pulled).toBeLessThanOrEqual(1);
      expect(await importsOf(fx.b)).toEqual(before);
    } finally {
      await limiter.delete(subjectKey(fx.b.id));
    }
  });

  it("while the Imports page's uploads fill this server's places for uploads (429, unread), and once one is free", async () => {
    // The uploads under way on the Imports page hold the places (app/api/imports/upload-response.ts).
    const held: (() => void)[] = [];
    for (let release = claimUploadSlot(); release; release = claimUploadSlot()) held.push(release);
    expect(held.length).toBeGreaterThan(0);
    try {
      const before = await importsOf(fx.b);
      const { response, pulled } = await uploadStreamed(keys.otherWorkspace, "busy");
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("60");
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        "Other files are being uploaded to this server right now. Try again in a minute.",
      );
      expect(pulled).toBeLessThanOrEqual(1);
      expect(await importsOf(fx.b)).toEqual(before);

      held.pop()!();
      const free = await uploadStreamed(keys.otherWorkspace, "free");
      expect(free.response.status).toBe(202);
      // The API's upload gave its place back: the one freed above is the only one left.
      const next = claimUploadSlot();
      expect(next).not.toBeNull();
      held.push(next!);
      expect(claimUploadSlot()).toBeNull();
    } finally {
      for (const release of held) release();
    }
  });
});
