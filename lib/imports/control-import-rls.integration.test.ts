import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { cancelLeadImport, pauseLeadImport, resumeLeadImport, startLeadImport } from "./control-import";
import { getLeadImportProgress } from "./get-lead-import";
import { importFigures } from "./import-figures";
import { detectPreset } from "./presets/detect";
import { runImportBatch } from "./run-import-batch";
import { storeUpload } from "./upload/store-upload";

/** The control services as the UI calls them: in the member's own RLS transaction, with only the columns users may update. */
let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

describe("starting and steering an import as its importer (RLS)", () => {
  it("starts, pauses, resumes and cancels", async () => {
    const rep = fx.a.members.sales_rep;
    const file = Buffer.from("Email,First Name\r\nana@rls-control.example,Ana\r\n");
    const { importId } = await storeUpload({
      workspaceId: fx.a.id,
      userId: rep.id,
      fileName: "control.csv",
      body: Readable.from([file]),
      announcedBytes: file.byteLength,
    });
    const actor = { workspaceId: fx.a.id, userId: rep.id, role: rep.role };
    const detected = detectPreset(["Email", "First Name"]);
    const started = await asUser(rep, (tx) =>
      startLeadImport(tx, actor, {
        importId,
        preset: detected.id,
        mapping: { columns: detected.columns },
        rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
      }),
    );
    expect(started.status).toBe("queued");
    expect((await asUser(rep, (tx) => pauseLeadImport(tx, actor, importId))).status).toBe("paused");
    expect((await asUser(rep, (tx) => resumeLeadImport(tx, actor, importId))).status).toBe("queued");
    expect((await asUser(rep, (tx) => cancelLeadImport(tx, actor, importId))).status).toBe("cancelled");
    const progress = await asUser(rep, (tx) => getLeadImportProgress(tx, { workspaceId: fx.a.id, importId }));
    expect(progress).toMatchObject({ status: "cancelled", processedRows: 0 });
    expect(progress!.finishedAt).not.toBeNull();
  });
});

describe("an import's clock", () => {
  it("finishes when the last batch's work ends, so even a one-batch import has a duration and a rate", async () => {
    const rep = fx.a.members.sales_rep;
    const file = Buffer.from(
      `Email,First Name\r\n${Array.from({ length: 50 }, (_, i) => `lead-${i}@rls-clock.example,Ana`).join("\r\n")}\r\n`,
    );
    const { importId } = await storeUpload({
      workspaceId: fx.a.id,
      userId: rep.id,
      fileName: "clock.csv",
      body: Readable.from([file]),
      announcedBytes: file.byteLength,
    });
    const actor = { workspaceId: fx.a.id, userId: rep.id, role: rep.role };
    const detected = detectPreset(["Email", "First Name"]);
    await asUser(rep, (tx) =>
      startLeadImport(tx, actor, {
        importId,
        preset: detected.id,
        mapping: { columns: detected.columns },
        rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
      }),
    );
    const batch = await runImportBatch({ workspaceId: fx.a.id, importId, requestedBy: rep.id });
    expect(batch).toMatchObject({ status: "completed", processedRows: 50 });
    const progress = (await asUser(rep, (tx) => getLeadImportProgress(tx, { workspaceId: fx.a.id, importId })))!;
    expect(progress.finishedAt!.getTime()).toBeGreaterThan(progress.startedAt!.getTime());
    const figures = importFigures(progress);
    expect(figures.durationMs).toBeGreaterThan(0);
    expect(figures.rowsPerSecond).toBeLessThan(1_000_000);
  });
});
