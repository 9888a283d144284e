import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { jobEvents, leadImports } from "@/db/schema";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { generateRow } from "./bench-import-file";
import { DEMO_IMPORT, seedDemoImport } from "./seed-import";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

describe("the demo import", () => {
  it("is uploaded, started and queued through the real services, once, and its job accounts for every row", async () => {
    const where = { workspaceSlug: fx.a.slug, importer: fx.a.members.sales_rep.email };
    const importId = (await seedDemoImport(serviceDb(), where))!;
    expect(await seedDemoImport(serviceDb(), where)).toBe(importId);
    const [queued] = await serviceDb().select().from(leadImports).where(eq(leadImports.id, importId));
    expect(queued).toMatchObject({ status: "queued", preset: "apollo", totalRows: DEMO_IMPORT.rows, fileName: DEMO_IMPORT.fileName });
    const [event] = await serviceDb().select().from(jobEvents).where(eq(jobEvents.id, queued!.jobEventId!));
    expect(event).toMatchObject({ name: "leads/import.requested", data: { importId, workspaceId: fx.a.id } });

    // What the executor does with that event: batches until the import is done.
    const ref = { workspaceId: fx.a.id, importId, requestedBy: fx.a.members.sales_rep.id };
    while ((await runImportBatch(ref, 150)).status === "running");
    const kinds = { unique: 0, invalid: 0, duplicate: 0 };
    for (let i = 0; i < DEMO_IMPORT.rows; i++) kinds[generateRow(DEMO_IMPORT.seed, i).kind]++;
    const [done] = await serviceDb().select().from(leadImports).where(eq(leadImports.id, importId));
    expect(done).toMatchObject({
      status: "completed",
      processedRows: DEMO_IMPORT.rows,
      inserted: kinds.unique,
      updated: 0,
      skipped: kinds.duplicate,
      failed: kinds.invalid,
    });
  });
});
