import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { startLeadImport } from "./control-import";
import { getLeadImport, listImportIssueGroups } from "./get-lead-import";
import { detectPreset } from "./presets/detect";
import { runImportBatch } from "./run-import-batch";
import { storeUpload } from "./upload/store-upload";

const SAMPLE = path.resolve(import.meta.dirname, "../../public/samples/apollo-contacts-sample.csv");

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

/** The README's walk-through and the e2e promise these counts for the sample file: the services give them. */
describe("the sample Apollo file through upload, start and the job", () => {
  it("ends 6 inserted, 0 updated, 1 skipped, 3 failed, with each problem row's reason", async () => {
    const rep = fx.a.members.sales_rep;
    const { importId } = await storeUpload({
      workspaceId: fx.a.id,
      userId: rep.id,
      fileName: "apollo-contacts-sample.csv",
      body: createReadStream(SAMPLE),
      announcedBytes: (await stat(SAMPLE)).size,
    });
    const headers = (await asUser(rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId })))!.headers;
    const detected = detectPreset(headers);
    await asUser(rep, (tx) =>
      startLeadImport(
        tx,
        { workspaceId: fx.a.id, userId: rep.id, role: rep.role },
        {
          importId,
          preset: detected.id,
          mapping: { columns: detected.columns },
          rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
        },
      ),
    );
    // Batches of 3 rows: the duplicate of row 1 (row 7) is found across batches.
    while ((await runImportBatch({ workspaceId: fx.a.id, importId, requestedBy: rep.id }, 3)).status === "running");
    const done = await asUser(rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId }));
    expect(done).toMatchObject({ status: "completed", totalRows: 10, processedRows: 10, inserted: 6, updated: 0, skipped: 1, failed: 3 });
    const groups = await asUser(rep, (tx) => listImportIssueGroups(tx, { workspaceId: fx.a.id, importId }));
    expect(groups.map((g) => [g.reason, g.rows])).toEqual([
      ["invalid_email", 2],
      ["no_identity", 1],
      ["duplicate_in_file", 1],
    ]);
  });
});
