import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importIssuesResponse } from "@/app/api/imports/[id]/issues.csv/issues-response";
import { serviceDb } from "@/db";
import { resolveSession, type Session } from "@/lib/auth/session";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { findImportJobRunId, getLeadImport, getLeadImportProgress, listImportIssueGroups, namesOfRuleMembers } from "./get-lead-import";
import { listLeadImports } from "./list-lead-imports";

let fx: TenancyFixture;
let aImport: string;
let bImport: string;
let aRunId: string;
const HEADERS = ["First Name", "Email", "Title", "Notes"];

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** A finished import as the job leaves it: counts on the import, the not-written rows in issues. */
async function seedImport(
  workspaceId: string,
  createdBy: string,
  input: { fileName: string; rows: string[][]; issues: [number, "skipped" | "failed", string, string | null][]; eventId?: string },
): Promise<string> {
  const db = serviceDb();
  const skipped = input.issues.filter((i) => i[1] === "skipped").length;
  const failed = input.issues.length - skipped;
  const [row] = await db.execute<{ id: string }>(sql`
    insert into public.lead_imports (workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows,
      status, preset, mapping, rules, processed_rows, inserted, updated, skipped, failed, job_event_id, started_at, finished_at)
    values (${workspaceId}, ${createdBy}, ${input.fileName}, 2048, 'utf-8', ',', ${textArray(HEADERS)}, ${input.rows.length},
      'completed', 'apollo', '{"columns":[]}'::jsonb, ${JSON.stringify({ onMatch: "skip", owner: { kind: "none" }, tags: ["q4"] })}::jsonb,
      ${input.rows.length}, ${input.rows.length - input.issues.length}, 0, ${skipped}, ${failed}, ${input.eventId ?? null},
      now() - interval '4 seconds', now())
    returning id`);
  const id = row!.id;
  for (const [index, fields] of input.rows.entries()) {
    await db.execute(sql`insert into public.lead_import_rows (import_id, workspace_id, row_number, fields)
      values (${id}, ${workspaceId}, ${index + 1}, ${textArray(fields)})`);
  }
  for (const [rowNumber, outcome, reason, detail] of input.issues) {
    await db.execute(sql`insert into public.lead_import_issues (import_id, workspace_id, row_number, outcome, reason, detail)
      values (${id}, ${workspaceId}, ${rowNumber}, ${outcome}, ${reason}, ${detail})`);
  }
  return id;
}

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  const db = serviceDb();
  const [event] = await db.execute<{ id: string }>(sql`
    insert into public.job_events (workspace_id, name, data, ts) values (${fx.a.id}, 'leads/import.requested', '{}'::jsonb, now()) returning id`);
  const [run] = await db.execute<{ id: string }>(sql`
    insert into public.job_runs (workspace_id, function_id, event_id, status, ended_at)
    values (${fx.a.id}, 'run-lead-import', ${event!.id}, 'completed', now()) returning id`);
  aRunId = run!.id;
  aImport = await seedImport(fx.a.id, fx.a.members.sales_rep.id, {
    fileName: "apollo-contacts.csv",
    eventId: event!.id,
    rows: [
      ["Zoë", "zoe@acme.test", "CEO", "fine"],
      ["Bob", "not-an-email", '=HYPERLINK("http://evil.example","x")', "@SUM(A1)"],
      ["Zoë", "ZOE@acme.test ", "CEO", "Line one\nline two, with a comma"],
      ["Short"],
      ["", "", "", ""],
    ],
    issues: [
      [2, "failed", "invalid_email", '"not-an-email" is not an email address'],
      [3, "skipped", "duplicate_in_file", "Same email as row 1"],
      // In the upload's words (store-upload.ts), which begin with the reason's own.
      [4, "failed", "malformed_row", "Row has a different number of columns than the header: it has 1 values, the header has 4 columns."],
      [5, "skipped", "empty_row", null],
    ],
  });
  bImport = await seedImport(fx.b.id, fx.b.members.admin.id, {
    fileName: "globex-secret.csv",
    rows: [["Secret", "bad", "CFO", "x"]],
    issues: [[1, "failed", "invalid_email", "secret detail"]],
  });
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

async function sessionOf(member: TenancyMember, workspaceId: string): Promise<Session> {
  const sessionId = await startTestSession(serviceDb(), member.id);
  return resolveSession(claimsFor(member.id, member.email, sessionId), workspaceId);
}

async function csvOf(response: Response): Promise<string[][]> {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text.slice(1), { relax_column_count: true });
}

describe("reading an import", () => {
  it("gives its importers the file, who, the counts, and the problem rows grouped by reason", async () => {
    const detail = await asUser(fx.a.members.manager, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: aImport }));
    expect(detail).toMatchObject({
      fileName: "apollo-contacts.csv",
      status: "completed",
      createdBy: { id: fx.a.members.sales_rep.id, name: fx.a.members.sales_rep.fullName },
      totalRows: 5,
      inserted: 1,
      skipped: 2,
      failed: 2,
      headers: HEADERS,
    });
    const groups = await asUser(fx.a.members.sales_rep, (tx) => listImportIssueGroups(tx, { workspaceId: fx.a.id, importId: aImport }));
    expect(groups).toEqual([
      { outcome: "failed", reason: "invalid_email", words: "Email is not a valid address", rows: 1 },
      { outcome: "failed", reason: "malformed_row", words: "Row has a different number of columns than the header", rows: 1 },
      { outcome: "skipped", reason: "duplicate_in_file", words: "Same lead as an earlier row of this file", rows: 1 },
      { outcome: "skipped", reason: "empty_row", words: "Empty row", rows: 1 },
    ]);
  });

  it("lists the workspace's imports newest first, a page at a time", async () => {
    const second = await seedImport(fx.a.id, fx.a.members.manager.id, {
      fileName: "later.csv",
      rows: [["A", "a@x.test", "", ""]],
      issues: [],
    });
    const first = await asUser(fx.a.members.sales_rep, (tx) => listLeadImports(tx, { workspaceId: fx.a.id, limit: 1 }));
    expect(first.imports.map((i) => i.fileName)).toEqual(["later.csv"]);
    expect(first.nextBefore).toBe(second);
    const next = await asUser(fx.a.members.sales_rep, (tx) =>
      listLeadImports(tx, { workspaceId: fx.a.id, limit: 1, before: first.nextBefore! }),
    );
    expect(next).toEqual({
      imports: [
        expect.objectContaining({
          id: aImport,
          createdBy: expect.objectContaining({ id: fx.a.members.sales_rep.id }),
          rules: { onMatch: "skip", owner: { kind: "none" }, tags: ["q4"] },
        }),
      ],
      nextBefore: null,
    });
    const garbage = await asUser(fx.a.members.sales_rep, (tx) => listLeadImports(tx, { workspaceId: fx.a.id, before: "not-a-uuid" }));
    expect(garbage.imports).toEqual([]);
  });

  it("names the owners the rules of a page of imports name, each once", async () => {
    const { manager, sales_rep: rep } = fx.a.members;
    const names = await asUser(rep, (tx) =>
      namesOfRuleMembers(tx, { onMatch: "skip", owner: { kind: "member", userId: rep.id }, tags: [] }, null, {
        onMatch: "overwrite",
        owner: { kind: "round_robin", userIds: [manager.id, rep.id] },
        tags: [],
      }),
    );
    expect(names).toEqual(
      new Map([
        [rep.id, rep.fullName],
        [manager.id, manager.fullName],
      ]),
    );
  });

  it("links admins to the job run that processed it, and no one else (runs are admin-only)", async () => {
    const scope = {
      workspaceId: fx.a.id,
      jobEventId: (await asUser(fx.a.members.admin, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId: aImport })))!.jobEventId,
    };
    expect(await asUser(fx.a.members.admin, (tx) => findImportJobRunId(tx, scope))).toBe(aRunId);
    expect(await asUser(fx.a.members.sales_rep, (tx) => findImportJobRunId(tx, scope))).toBeNull();
    expect(
      await asUser(fx.a.members.admin, (tx) => findImportJobRunId(tx, { workspaceId: fx.a.id, jobEventId: "evt_01JCLOUD" })),
    ).toBeNull();
  });
});

describe("tenant isolation of imports", () => {
  it("hides an import, its progress, its issues and its rows from another workspace's members, even its admin", async () => {
    const outsider = fx.b.members.admin;
    for (const workspaceId of [fx.a.id, fx.b.id]) {
      const seen = await asUser(outsider, async (tx) => ({
        detail: await getLeadImport(tx, { workspaceId, importId: aImport }),
        progress: await getLeadImportProgress(tx, { workspaceId, importId: aImport }),
        groups: await listImportIssueGroups(tx, { workspaceId, importId: aImport }),
        list: (await listLeadImports(tx, { workspaceId })).imports.map((i) => i.id),
        rows: await tx.execute(sql`select 1 from public.lead_import_rows where import_id = ${aImport}`),
      }));
      expect(seen).toEqual({ detail: null, progress: null, groups: [], list: workspaceId === fx.b.id ? [bImport] : [], rows: [] });
    }
  });

  it("hides imports from viewers; analysts read them (imports.read, which read API keys hold) but do not import", async () => {
    const read = (member: typeof fx.a.members.viewer) =>
      asUser(member, async (tx) => ({
        progress: (await getLeadImportProgress(tx, { workspaceId: fx.a.id, importId: aImport }))?.id ?? null,
        groups: (await listImportIssueGroups(tx, { workspaceId: fx.a.id, importId: aImport })).length,
      }));
    expect(await read(fx.a.members.viewer)).toEqual({ progress: null, groups: 0 });
    const analyst = await read(fx.a.members.analyst);
    expect(analyst.progress).toBe(aImport);
    expect(analyst.groups).toBeGreaterThan(0);
  });

  it("answers 404 for another workspace's error file, 403 to a role that does not see imports, 401 without a session", async () => {
    const b = await importIssuesResponse(await sessionOf(fx.b.members.admin, fx.b.id), aImport);
    expect(b.status).toBe(404);
    expect(await b.text()).toBe("That import was not found.");
    const viewer = await importIssuesResponse(await sessionOf(fx.a.members.viewer, fx.a.id), aImport);
    expect(viewer.status).toBe(403);
    expect(await viewer.text()).toBe("Your role cannot see imports. Ask an admin for the analyst role or above.");
    // An analyst reads the rows as a read API key does (GET /api/v1/imports/{id}/issues).
    const analyst = await importIssuesResponse(await sessionOf(fx.a.members.analyst, fx.a.id), aImport);
    expect(analyst.status).toBe(200);
    expect(analyst.headers.get("x-row-count")).toBe("4");
    await analyst.body?.cancel();
    expect((await importIssuesResponse(null, aImport)).status).toBe(401);
    expect((await importIssuesResponse(await sessionOf(fx.a.members.admin, fx.a.id), "../../etc")).status).toBe(404);
  });
});

describe("the skipped and failed rows as a CSV", () => {
  it("has a Reason column then the file's own columns, every problem row in file order, formulas neutralised", async () => {
    const response = await importIssuesResponse(await sessionOf(fx.a.members.sales_rep, fx.a.id), aImport);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="apollo-contacts-problem-rows.csv"; filename*=UTF-8''apollo-contacts-problem-rows.csv`,
    );
    expect(response.headers.get("x-row-count")).toBe("4");
    expect(await csvOf(response)).toEqual([
      ["Reason", ...HEADERS],
      [
        'Failed: Email is not a valid address ("not-an-email" is not an email address)',
        "Bob",
        "not-an-email",
        `'=HYPERLINK("http://evil.example","x")`,
        "'@SUM(A1)",
      ],
      [
        "Skipped: Same lead as an earlier row of this file (Same email as row 1)",
        "Zoë",
        "ZOE@acme.test ",
        "CEO",
        "Line one\nline two, with a comma",
      ],
      // The reason once, not again in parentheses.
      ["Failed: Row has a different number of columns than the header: it has 1 values, the header has 4 columns.", "Short", "", "", ""],
      ["Skipped: Empty row", "", "", "", ""],
    ]);
  });

  it("records each download of the problem rows in the audit log, with who took it (they hold the uploaded rows)", async () => {
    const manager = fx.a.members.manager;
    await (await importIssuesResponse(await sessionOf(manager, fx.a.id), aImport)).text();
    const entries = await serviceDb().execute<{ actor_id: string; metadata: Record<string, unknown> }>(sql`
      select actor_id, metadata from public.audit_log
      where workspace_id = ${fx.a.id} and action = 'imports.issues_exported' and target_id = ${aImport} and actor_id = ${manager.id}`);
    expect(entries).toEqual([{ actor_id: manager.id, metadata: { fileName: "apollo-contacts.csv", rowCount: 4 } }]);
  });

  it("gives the import's own workspace its file and no other workspace's rows", async () => {
    const response = await importIssuesResponse(await sessionOf(fx.b.members.sales_rep, fx.b.id), bImport);
    const rows = await csvOf(response);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(["Failed: Email is not a valid address (secret detail)", "Secret", "bad", "CFO", "x"]);
  });
});
