import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createTestImport } from "@/tests/fixtures/imports";
import { claimsFor, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { openImportIssues } from "./open-import-issues";
import { pruneEndedImportRows } from "./prune-import-rows";
import { runImportBatch } from "./run-import-batch";
import type { ImportMapping } from "./types";

const db = serviceDb();
let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(db);
});
afterAll(() => removeTenancyFixture(fx, db));

const HEADERS = ["Email", "First Name", "Company"];
const MAPPING: ImportMapping = {
  columns: [
    { kind: "field", field: "email" },
    { kind: "field", field: "first_name" },
    { kind: "field", field: "company_name" },
  ],
};

async function rowNumbersOf(importId: string): Promise<number[]> {
  const rows = await db.execute<{ row_number: number }>(
    sql`select row_number from public.lead_import_rows where import_id = ${importId} order by row_number`,
  );
  return rows.map((r) => r.row_number);
}

/** An import of `rows` in workspace A by its manager, started (queued) as the start action leaves it. */
function startedImport(rows: string[][], fileName = "leads.csv") {
  return createTestImport({
    workspaceId: fx.a.id,
    createdBy: fx.a.members.manager.id,
    fileName,
    headers: HEADERS,
    rows,
    start: { mapping: MAPPING, rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] } },
  });
}

describe("pruneEndedImportRows", () => {
  it("deletes an ended import's rows without an issue; its fix-and-re-upload file is unchanged; unended imports keep every row", async () => {
    const t = randomSuffix();
    const rows = [
      [`zoe.${t}@example.com`, "Zoë", "Café, Ünïcode"],
      ["not-an-email", "Bad", "Row"],
      [`zoe.${t}@example.com`, "Zoë again", "Duplicate in file"],
      [`li.${t}@example.com`, "Lì", "Line\nbreak"],
    ];
    const done = await startedImport(rows, "done.csv");
    const ref = { workspaceId: fx.a.id, importId: done, requestedBy: fx.a.members.manager.id };
    expect(await runImportBatch(ref)).toMatchObject({ status: "completed" });
    const queued = await startedImport([[`q.${t}@example.com`, "Queued", "Co"]], "queued.csv");
    const mapping = await createTestImport({
      workspaceId: fx.a.id,
      createdBy: fx.a.members.manager.id,
      headers: HEADERS,
      rows: [[`m.${t}@example.com`, "Mapping", "Co"]],
    });
    const actor = {
      claims: claimsFor(fx.a.members.manager.id, fx.a.members.manager.email),
      workspaceId: fx.a.id,
      role: "manager" as const,
    };
    const fileBefore = await new Response((await openImportIssues(actor, done))!.stream).text();

    // What is left is checked, not how many this call deleted: the nightly job's test (prune-old-records)
    // may prune the same shared database at the same moment.
    await pruneEndedImportRows(db);

    // Rows 2 (invalid email) and 3 (duplicate in the file) are its issues: they stay.
    expect(await rowNumbersOf(done)).toEqual([2, 3]);
    expect(await rowNumbersOf(queued)).toEqual([1]);
    expect(await rowNumbersOf(mapping)).toEqual([1]);
    const fileAfter = await new Response((await openImportIssues(actor, done))!.stream).text();
    expect(fileAfter).toBe(fileBefore);
    expect(fileAfter).toContain("Zoë again");
    // The counts and the leads are the import's, untouched.
    const [imp] = await db.execute<{ inserted: number; failed: number; skipped: number; status: string }>(
      sql`select inserted, failed, skipped, status from public.lead_imports where id = ${done}`,
    );
    expect(imp).toEqual({ inserted: 2, failed: 1, skipped: 1, status: "completed" });
  });

  it("prunes cancelled imports too, in batches until none is left", async () => {
    const t = randomSuffix();
    const cancelled = await startedImport(
      Array.from({ length: 5 }, (_, i) => [`c${i}.${t}@example.com`, `C${i}`, "Co"]),
      "cancelled.csv",
    );
    await db.execute(sql`update public.lead_imports set status = 'cancelled', finished_at = now() where id = ${cancelled}`);
    await pruneEndedImportRows(db, { batch: 2 });
    expect(await rowNumbersOf(cancelled)).toEqual([]);
  });

  it("marks an import once its rows are pruned and does not visit it again; a pruned import cannot run again", async () => {
    const t = randomSuffix();
    const done = await startedImport(
      [
        [`once.${t}@example.com`, "Once", "Co"],
        ["bad", "Bad", "Row"],
      ],
      "once.csv",
    );
    expect(await runImportBatch({ workspaceId: fx.a.id, importId: done, requestedBy: fx.a.members.manager.id })).toMatchObject({
      status: "completed",
    });
    await pruneEndedImportRows(db);
    const [marked] = await db.execute<{ pruned: boolean }>(
      sql`select rows_pruned_at is not null as pruned from public.lead_imports where id = ${done}`,
    );
    expect(marked).toEqual({ pruned: true });
    expect(await rowNumbersOf(done)).toEqual([2]);
    // A row put back behind the prune's back stays: the marked import is not read again.
    await db.execute(sql`insert into public.lead_import_rows (import_id, workspace_id, row_number, fields)
      values (${done}, ${fx.a.id}, 1, array['x@example.com', 'X', 'Co'])`);
    await pruneEndedImportRows(db);
    expect(await rowNumbersOf(done)).toEqual([1, 2]);
    const reopened = await db
      .execute(sql`update public.lead_imports set status = 'running', finished_at = null where id = ${done}`)
      .catch((error: unknown) => error);
    expect(reopened).toMatchObject({ cause: { constraint_name: "lead_imports_pruned_when_ended" } });
  });
});
