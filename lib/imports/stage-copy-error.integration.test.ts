import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { mergeStagedRows, type MergePlan } from "./run-import-batch";
import { STAGE_COLUMNS } from "./stage-rows";

/**
 * A batch whose staging COPY the server refuses fails, with the server's words, so that its job
 * step fails or is retried. postgres.js 3.4.9 left the COPY's writer waiting for ever once all
 * its data was sent (patches/postgres+3.4.9.patch): the import stayed "running", holding its
 * transaction and its workspace's turn.
 */
let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

describe("a batch's staging COPY that the server refuses", () => {
  it("rejects with the server's error at once, and its connection is usable again", async () => {
    const ws = fx.a;
    const plan: MergePlan = {
      workspaceId: ws.id,
      importId: "00000000-0000-4000-8000-000000000000",
      requestedBy: ws.members.manager.id,
      fileName: "leads.csv",
      source: "csv",
      rules: { onMatch: "skip", owner: { kind: "none" }, tags: [] },
      owners: { ids: [], given: 0 },
      repOnly: null,
      laterBatches: false,
    };
    // One line PostgreSQL refuses (a score that is no number) stands for any COPY error, which
    // the server reports only once the data has all been sent.
    const line = ["1", ...Array<string>(STAGE_COLUMNS.length - 1).fill("\\N")];
    line[STAGE_COLUMNS.indexOf("score")] = "not-a-number";
    const { sql } = connect(env().DATABASE_URL);
    const started = Date.now();
    const outcome = await Promise.race([
      sql
        .begin((tx) => mergeStagedRows(tx, plan, [`${line.join("\t")}\n`]))
        .then(
          () => "resolved",
          (error: unknown) => (error as Error).message,
        ),
      new Promise((resolve) => setTimeout(() => resolve("no answer in 20 s"), 20_000)),
    ]);
    expect(outcome).toMatch(/invalid input syntax for type smallint: "not-a-number"/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The connection went back to the pool usable.
    const [after] = await sql`select 1 as one`;
    expect(after).toEqual({ one: 1 });
  }, 30_000);
});
