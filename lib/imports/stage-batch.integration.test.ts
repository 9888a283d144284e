import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { connect } from "@/db/client";
import { env } from "@/lib/env";
import { createTestImport } from "@/tests/fixtures/imports";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { runImportBatch, STAGE_READ_ROWS, stagedLines } from "./run-import-batch";
import type { ImportMapping, ImportRules } from "./types";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

const HEADERS = ["First Name", "Email"];
const MAPPING: ImportMapping = {
  columns: [
    { kind: "field", field: "first_name" },
    { kind: "field", field: "email" },
  ],
};
const SKIP: ImportRules = { onMatch: "skip", owner: { kind: "none" }, tags: [] };

async function uploaded(rows: number): Promise<{ importId: string; suffix: string }> {
  const suffix = randomSuffix();
  const importId = await createTestImport({
    workspaceId: fx.a.id,
    createdBy: fx.a.members.manager.id,
    headers: HEADERS,
    rows: Array.from({ length: rows }, (_, i) => [`Stager ${i + 1}`, `stager.${i + 1}.${suffix}@acme.io`]),
    start: { mapping: MAPPING, rules: SKIP },
  });
  return { importId, suffix };
}

describe("staging an import batch", () => {
  it("reads and maps the batch's rows a slice at a time, each handed on before the next is read", async () => {
    const rows = STAGE_READ_ROWS * 2 + 10;
    const { importId } = await uploaded(rows);
    // A row the upload stored no fields for still gets its line (the job counts it, never loses it).
    await serviceDb().execute(sql`delete from public.lead_import_rows where import_id = ${importId} and row_number = 3`);
    const seen: [number, string | null][] = [];
    const slices = stagedLines(importId, 1, rows, (rn, fields) => {
      seen.push([rn, fields ? fields[0]! : null]);
      return `${rn}\n`;
    });

    const first = await slices.next();
    // Only the first slice was read and mapped when it was handed on: the batch never holds more.
    expect(seen).toHaveLength(STAGE_READ_ROWS);
    expect(first.value).toBe(Array.from({ length: STAGE_READ_ROWS }, (_, i) => `${i + 1}\n`).join(""));
    const rest: string[] = [];
    for await (const slice of slices) rest.push(slice);
    expect(rest.map((s) => s.split("\n").length - 1)).toEqual([STAGE_READ_ROWS, 10]);
    expect(seen.map(([rn]) => rn)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    expect(seen[2]).toEqual([3, null]);
    expect(seen[3]).toEqual([4, "Stager 4"]);
  });

  it("reads the rows on a pool of its own: a batch completes while every other connection of the job's pool is held", async () => {
    const rows = STAGE_READ_ROWS * 3;
    const { importId, suffix } = await uploaded(rows);
    const ref = { workspaceId: fx.a.id, importId, requestedBy: fx.a.members.manager.id };
    const pool = connect(env().DATABASE_URL).sql;
    // The batch's transaction takes the one connection left; reads borrowed from this pool would wait for ever.
    const held = await Promise.all(Array.from({ length: pool.options.max - 1 }, () => pool.reserve()));
    let timer: NodeJS.Timeout | undefined;
    try {
      const waited = new Promise<"waited">((resolve) => (timer = setTimeout(() => resolve("waited"), 20_000)));
      const progress = await Promise.race([runImportBatch(ref, rows), waited]);
      expect(progress).toEqual({ status: "completed", processedRows: rows, totalRows: rows });
    } finally {
      clearTimeout(timer);
      for (const connection of held) connection.release();
    }
    const [counts] = await serviceDb().execute<{ inserted: number; n: number }>(sql`
      select i.inserted, (select count(*)::int from public.leads l where l.workspace_id = ${fx.a.id} and l.email like ${`stager.%.${suffix}@acme.io`}) as n
      from public.lead_imports i where i.id = ${importId}`);
    expect(counts).toEqual({ inserted: rows, n: rows });
  }, 40_000);
});
