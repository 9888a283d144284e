import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serviceDb } from "@/db";
import {
  integrationAccounts,
  leadImports,
  phantomBusterImportedRows,
  phantomBusterScheduleRuns,
  phantomBusterSchedules,
} from "@/db/schema";
import { cancelLeadImport } from "@/lib/imports/control-import";
import { getLeadImport } from "@/lib/imports/get-lead-import";
import { listLeadImports } from "@/lib/imports/list-lead-imports";
import { importLatestAgentResult } from "@/lib/imports/phantombuster/import-agent-result";
import { cancelAgentImportSchedule, listAgentImportSchedules, scheduleAgentImport } from "@/lib/imports/phantombuster/recurring/schedules";
import { claimDueSchedules } from "@/lib/imports/phantombuster/recurring/run-schedule";
import { runImportBatch } from "@/lib/imports/run-import-batch";
import { connectIntegrationAccount, disconnectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { fetchContainer, launchAgent } from "@/lib/integrations/phantombuster/agents";
import { createPhantomBusterClient } from "@/lib/integrations/phantombuster/client";
import { startFakePhantomBuster } from "@/lib/integrations/phantombuster/testing/fake-phantombuster";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { runPhantomBusterScheduleFunction } from "./phantombuster-schedules";

const KEY = "pb-schedule-key-0099";
const HEADER = "profileUrl,fullName,firstName,lastName,companyName,title,vmid,linkedInProfileUrl,defaultProfileUrl,timestamp";
const row = (n: number, first: string, last: string, when = "2026-11-01") =>
  `https://www.linkedin.com/sales/lead/ACwAA${n},${first} ${last},${first},${last},"Acme, Inc.",Head of Sales,v${n},https://www.linkedin.com/in/ACwAA${n},https://www.linkedin.com/in/${first.toLowerCase()}-${n}-sched,${when}`;
const FIRST = [HEADER, row(1, "Chloé", "Lefèvre"), row(2, "Zoë", "Ng"), row(3, "Inès", "Núñez")];

const fake = await startFakePhantomBuster({
  keys: [KEY],
  agents: [
    { id: "5001", name: "Sales Nav — weekly", orgS3Folder: "org-s", s3Folder: "weekly", files: { "result.csv": FIRST.join("\n") } },
    {
      id: "5002",
      name: "Profile scraper",
      orgS3Folder: "org-s",
      s3Folder: "scraper",
      files: { "result.json": JSON.stringify([{ linkedinProfileUrl: "https://www.linkedin.com/in/dee-sched", firstName: "Dee" }]) },
    },
    {
      id: "5003",
      name: "Event attendees",
      orgS3Folder: "org-s",
      s3Folder: "attendees",
      files: { "result.csv": [HEADER, row(31, "Ada", "Byron"), row(32, "Grace", "Hopper")].join("\n") },
    },
    {
      id: "5004",
      name: "Webinar sign-ups",
      orgS3Folder: "org-s",
      s3Folder: "webinar",
      files: { "result.csv": [HEADER, row(41, "Mária", "Telkes"), row(42, "Chien-Shiung", "Wu")].join("\n") },
    },
  ],
});
process.env.PHANTOMBUSTER_API_URL = fake.url;
process.env.PHANTOMBUSTER_S3_URL = fake.s3Url;
const pb = createPhantomBusterClient({ apiKey: KEY });

let fx: TenancyFixture;
let accountId: string;
const actor = (m: TenancyMember, workspaceId: string) => ({ workspaceId, userId: m.id, role: m.role });

/** The agent runs once (the fake ends a run when its container is read). */
async function agentRuns(agentId: string) {
  const { containerId } = await launchAgent(pb, agentId);
  await fetchContainer(pb, containerId!);
}

async function runSchedule(scheduleId: string, slot: string) {
  const engine = new InngestTestEngine({
    function: runPhantomBusterScheduleFunction,
    events: [
      { name: "integrations/phantombuster-schedule.due", data: { workspaceId: fx.a.id, accountId, scheduleId, slot } } as EventPayload,
    ],
  });
  return (await engine.execute()) as { result?: Record<string, unknown> & { importId?: string }; error?: Error };
}

async function finishImport(importId: string, requestedBy: string) {
  for (;;) {
    const progress = await runImportBatch({ workspaceId: fx.a.id, importId, requestedBy }, 50);
    if (progress.status !== "running" && progress.status !== "queued") break;
  }
  return asUser(fx.a.members.sales_rep, (tx) => getLeadImport(tx, { workspaceId: fx.a.id, importId }));
}

/** Imports that carried rows (a run that imported nothing is in the history too, as an import of 0 rows: see lastEmptyRun). */
const importCount = async () =>
  (
    await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from lead_imports where workspace_id = ${fx.a.id} and total_rows > 0`,
    )
  )[0]!.n;
/** The latest run recorded in the Imports history without rows, as the history lists it. */
const lastEmptyRun = async () => {
  const page = await asUser(fx.a.members.sales_rep, (tx) => listLeadImports(tx, { workspaceId: fx.a.id }));
  const empty = page.imports.filter((i) => i.totalRows === 0);
  return { item: empty[0], count: empty.length };
};
const runsOf = (scheduleId: string) =>
  serviceDb()
    .select({
      slot: phantomBusterScheduleRuns.slot,
      outcome: phantomBusterScheduleRuns.outcome,
      newRows: phantomBusterScheduleRuns.newRows,
      message: phantomBusterScheduleRuns.message,
    })
    .from(phantomBusterScheduleRuns)
    .where(eq(phantomBusterScheduleRuns.scheduleId, scheduleId))
    .orderBy(phantomBusterScheduleRuns.createdAt);

beforeAll(async () => {
  fx = await createTenancyFixture();
  const admin = fx.a.members.admin;
  accountId = (await asUser(admin, (tx) => connectIntegrationAccount(tx, actor(admin, fx.a.id), { vendor: "phantombuster", apiKey: KEY })))
    .id;
  await agentRuns("5001");
  await agentRuns("5002");
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});

describe("a recurring import of a PhantomBuster agent's results", () => {
  let scheduleId: string;
  const rep = () => fx.a.members.sales_rep;

  it("is scheduled by a sales rep for an agent PhantomBuster knows, once per agent; viewers may not", async () => {
    const created = await asUser(rep(), (tx) =>
      scheduleAgentImport(tx, actor(rep(), fx.a.id), { agentId: "5001", cadence: "after_each_run" }),
    );
    expect(created).toMatchObject({ agentName: "Sales Nav — weekly", cadence: "after_each_run", accountId });
    scheduleId = created.scheduleId;
    const again = await asUser(rep(), (tx) => scheduleAgentImport(tx, actor(rep(), fx.a.id), { agentId: "5001", cadence: "daily" })).catch(
      (e: unknown) => e,
    );
    expect(again).toMatchObject({
      code: "conflict",
      message: "“Sales Nav — weekly” is already imported after each of its runs. Cancel that recurring import first to change it.",
    });
    const viewer = fx.a.members.viewer;
    await expect(
      asUser(viewer, (tx) => scheduleAgentImport(tx, actor(viewer, fx.a.id), { agentId: "5001", cadence: "daily" })),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      asUser(rep(), (tx) => scheduleAgentImport(tx, actor(rep(), fx.a.id), { agentId: "5999", cadence: "daily" })),
    ).rejects.toMatchObject({ code: "not_found", message: "PhantomBuster does not know that agent (“Agent not found”)." });
  });

  it("imports the whole result on its first run, then only the new rows after the agent's next run", async () => {
    const first = await runSchedule(scheduleId, "first");
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ status: "queued", newRows: 3 });
    expect(await finishImport(first.result!.importId!, rep().id)).toMatchObject({
      fileName: "PhantomBuster – Sales Nav — weekly – result.csv (new rows)",
      totalRows: 3,
      inserted: 3,
    });

    // The next run finds one more person; result.csv accumulates, re-scraped rows change their timestamp.
    fake.agents.get("5001")!.files["result.csv"] = [
      HEADER,
      row(1, "Chloé", "Lefèvre", "2026-11-08"),
      row(2, "Zoë", "Ng", "2026-11-08"),
      row(3, "Inès", "Núñez", "2026-11-08"),
      row(4, "Łukasz", "Wójcik", "2026-11-08"),
    ].join("\n");
    await agentRuns("5001");
    const second = await runSchedule(scheduleId, "2026-11-08T10:00:00.000000Z");
    expect(second.result).toMatchObject({ status: "queued", newRows: 1 });
    const imp = await finishImport(second.result!.importId!, rep().id);
    expect(imp).toMatchObject({ totalRows: 1, inserted: 1, skipped: 0 });
    const [rows] = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from phantombuster_imported_rows where workspace_id = ${fx.a.id} and agent_id = '5001'`,
    );
    expect(rows!.n).toBe(4);

    // The same slot again (a replayed event): the same import, nothing imported twice.
    const before = await importCount();
    const replay = await runSchedule(scheduleId, "2026-11-08T10:00:00.000000Z");
    expect(replay.result).toMatchObject({ importId: second.result!.importId, newRows: 1 });
    expect(await importCount()).toBe(before);

    // No new run of the agent since: nothing happens, nothing is recorded.
    const idle = await runSchedule(scheduleId, "2026-11-08T10:15:00.000000Z");
    expect(idle.result).toEqual({ skipped: "The agent has not run since the last import." });
    expect(await importCount()).toBe(before);
    expect((await runsOf(scheduleId)).map((r) => [r.outcome, r.newRows])).toEqual([
      ["imported", 3],
      ["imported", 1],
    ]);

    expect((await lastEmptyRun()).count).toBe(0);

    // A run that found nobody new: recorded as such, and in the Imports history as 0 new rows.
    await agentRuns("5001");
    const same = await runSchedule(scheduleId, "2026-11-09T10:00:00.000000Z");
    expect(same.result).toEqual({ nothingNew: true });
    expect(await importCount()).toBe(before);
    expect((await runsOf(scheduleId)).at(-1)).toMatchObject({
      outcome: "nothing_new",
      message: "Every row of the agent's result was imported before: nothing new to import.",
    });
    const empty = await lastEmptyRun();
    expect(empty.count).toBe(1);
    expect(empty.item).toMatchObject({
      fileName: "PhantomBuster – Sales Nav — weekly – no new rows",
      status: "completed",
      totalRows: 0,
      inserted: 0,
      createdBy: { id: rep().id },
      error: null,
    });
    // Replayed, the run records nothing twice.
    expect((await runSchedule(scheduleId, "2026-11-09T10:00:00.000000Z")).result).toMatchObject({ skipped: expect.any(String) });
    expect((await lastEmptyRun()).count).toBe(1);
  });

  it("reports a failed run of the agent with PhantomBuster's reason, once, and imports nothing", async () => {
    const agent = fake.agents.get("5001")!;
    agent.outcome = { exitCode: 1, exitMessage: "Can't connect to LinkedIn with this session cookie" };
    await agentRuns("5001");
    const before = await importCount();
    const { error } = await runSchedule(scheduleId, "2026-11-10T10:00:00.000000Z");
    expect(error?.name).toBe("NonRetriableError");
    expect(error?.message).toBe(
      "The agent's run failed: it exited with code 1. PhantomBuster said: “Can't connect to LinkedIn with this session cookie”.",
    );
    expect((await runsOf(scheduleId)).at(-1)).toMatchObject({ outcome: "failed", message: error!.message });
    // In the Imports history too: a failed import with the reason.
    expect((await lastEmptyRun()).item).toMatchObject({
      fileName: "PhantomBuster – Sales Nav — weekly – run failed",
      status: "failed",
      totalRows: 0,
      error: error!.message,
    });
    const empties = (await lastEmptyRun()).count;
    // The same failed run is not reported again at the next check.
    expect((await runSchedule(scheduleId, "2026-11-10T10:15:00.000000Z")).result).toEqual({
      skipped: "The agent has not run since the last import.",
    });
    expect(await importCount()).toBe(before);
    expect((await lastEmptyRun()).count).toBe(empties);
    agent.outcome = undefined;
  });

  it("fails on an answer of the wrong shape, naming the field in the log and the reason, and writes nothing", async () => {
    await agentRuns("5001");
    fake.agents.get("5001")!.files["result.csv"] += `\n${row(5, "Noémie", "Bénard")}`;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const before = await importCount();
    try {
      fake.fail({ path: "/agents/fetch", status: 200, body: JSON.stringify({ id: "5001", name: "Sales Nav — weekly", s3Folder: 42 }) });
      const { error } = await runSchedule(scheduleId, "2026-11-11T10:00:00.000000Z");
      expect(error?.name).toBe("NonRetriableError");
      expect(error?.message).toMatch(
        /^PhantomBuster's agent answer did not have the expected shape at s3Folder \(.+\); nothing was used from it\.$/,
      );
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[phantombuster\] GET \/agents\/fetch: unexpected answer at s3Folder: /));
    } finally {
      warn.mockRestore();
    }
    expect(await importCount()).toBe(before);
    expect((await runsOf(scheduleId)).at(-1)).toMatchObject({ outcome: "failed", message: expect.stringMatching(/at s3Folder/) });
    const [rows] = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from phantombuster_imported_rows where workspace_id = ${fx.a.id} and agent_id = '5001'`,
    );
    expect(rows!.n).toBe(4);
  });

  it("stores nothing of a result.json cut off half-way: no import, no row remembered", async () => {
    const created = await asUser(rep(), (tx) => scheduleAgentImport(tx, actor(rep(), fx.a.id), { agentId: "5002", cadence: "daily" }));
    fake.agents.get("5002")!.files["result.json"] =
      '[{"linkedinProfileUrl":"https://www.linkedin.com/in/dee-sched","firstName":"Dee"},{"linkedinProfileUrl":"https://www.linkedin.com/in/eve';
    const before = await importCount();
    const { error } = await runSchedule(created.scheduleId, "first");
    expect(error?.message).toBe(
      "PhantomBuster's result.json could not be read: The result file ends before its JSON list does: it may have been cut off.",
    );
    expect(await importCount()).toBe(before);
    const remembered = await serviceDb()
      .select()
      .from(phantomBusterImportedRows)
      .where(and(eq(phantomBusterImportedRows.workspaceId, fx.a.id), eq(phantomBusterImportedRows.agentId, "5002")));
    expect(remembered).toEqual([]);
  });

  it("does not import again, in a recurring import scheduled later, the rows a manual import took", async () => {
    await agentRuns("5003");
    const manual = await importLatestAgentResult((work) => asUser(rep(), work), actor(rep(), fx.a.id), { agentId: "5003" });
    expect(await finishImport(manual.importId, rep().id)).toMatchObject({ totalRows: 2, inserted: 2 });

    const created = await asUser(rep(), (tx) => scheduleAgentImport(tx, actor(rep(), fx.a.id), { agentId: "5003", cadence: "daily" }));
    const first = await runSchedule(created.scheduleId, "first");
    expect(first.result).toEqual({ nothingNew: true });
    expect((await lastEmptyRun()).item).toMatchObject({ fileName: "PhantomBuster – Event attendees – no new rows", status: "completed" });

    // The agent's next run finds one more person: only that one is imported.
    fake.agents.get("5003")!.files["result.csv"] += `\n${row(33, "Katherine", "Johnson")}`;
    await agentRuns("5003");
    const next = await runSchedule(created.scheduleId, "2026-11-12T10:00:00.000000Z");
    expect(next.result).toMatchObject({ status: "queued", newRows: 1 });
    expect(await finishImport(next.result!.importId!, rep().id)).toMatchObject({ totalRows: 1, inserted: 1 });
    await asUser(rep(), (tx) => cancelAgentImportSchedule(tx, actor(rep(), fx.a.id), { scheduleId: created.scheduleId }));
  });

  it("imports, in a recurring import, the rows of a manual import that was cancelled before it wrote them", async () => {
    await agentRuns("5004");
    const manual = await importLatestAgentResult((work) => asUser(rep(), work), actor(rep(), fx.a.id), { agentId: "5004" });
    await asUser(rep(), (tx) => cancelLeadImport(tx, actor(rep(), fx.a.id), manual.importId));

    const created = await asUser(rep(), (tx) => scheduleAgentImport(tx, actor(rep(), fx.a.id), { agentId: "5004", cadence: "daily" }));
    const first = await runSchedule(created.scheduleId, "first");
    expect(first.result).toMatchObject({ status: "queued", newRows: 2 });
    expect(await finishImport(first.result!.importId!, rep().id)).toMatchObject({ totalRows: 2, inserted: 2 });
    // Taken now: the agent's next run brings nothing new.
    await agentRuns("5004");
    expect((await runSchedule(created.scheduleId, "2026-11-13T10:00:00.000000Z")).result).toEqual({ nothingNew: true });
    await asUser(rep(), (tx) => cancelAgentImportSchedule(tx, actor(rep(), fx.a.id), { scheduleId: created.scheduleId }));
  });

  it("is claimed by the cron once when due, listed with its runs, and cancelled by a manager: a cancelled schedule's run does nothing", async () => {
    await serviceDb()
      .update(phantomBusterSchedules)
      .set({ nextRunAt: new Date(Date.now() - 60_000) })
      .where(eq(phantomBusterSchedules.id, scheduleId));
    const claimed = (await claimDueSchedules(serviceDb())).filter((r) => r.scheduleId === scheduleId);
    expect(claimed).toEqual([{ workspaceId: fx.a.id, accountId, scheduleId, slot: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect((await claimDueSchedules(serviceDb())).filter((r) => r.scheduleId === scheduleId)).toEqual([]);
    // A disconnected account's schedules wait until it is connected again.
    await serviceDb()
      .update(phantomBusterSchedules)
      .set({ nextRunAt: new Date(Date.now() - 60_000) })
      .where(eq(phantomBusterSchedules.id, scheduleId));
    const admin = fx.a.members.admin;
    await asUser(admin, (tx) => disconnectIntegrationAccount(tx, actor(admin, fx.a.id), { accountId }));
    expect((await claimDueSchedules(serviceDb())).filter((r) => r.scheduleId === scheduleId)).toEqual([]);
    const again = await asUser(admin, (tx) =>
      connectIntegrationAccount(tx, actor(admin, fx.a.id), { vendor: "phantombuster", apiKey: KEY }),
    );
    expect(again.id).toBe(accountId);
    expect((await claimDueSchedules(serviceDb())).filter((r) => r.scheduleId === scheduleId)).toHaveLength(1);
    const [next] = await serviceDb()
      .select({ nextRunAt: phantomBusterSchedules.nextRunAt })
      .from(phantomBusterSchedules)
      .where(eq(phantomBusterSchedules.id, scheduleId));
    expect(next!.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);

    const listed = await asUser(rep(), (tx) => listAgentImportSchedules(tx, { workspaceId: fx.a.id }));
    const mine = listed.find((s) => s.id === scheduleId)!;
    expect(mine.runs[0]).toMatchObject({ outcome: "failed" });
    expect(mine.runs.map((r) => r.outcome)).toEqual(["failed", "failed", "nothing_new", "imported", "imported"]);

    const viewer = fx.a.members.viewer;
    await expect(asUser(viewer, (tx) => cancelAgentImportSchedule(tx, actor(viewer, fx.a.id), { scheduleId }))).rejects.toMatchObject({
      code: "forbidden",
    });
    const other = fx.b.members.admin;
    await expect(asUser(other, (tx) => cancelAgentImportSchedule(tx, actor(other, fx.b.id), { scheduleId }))).rejects.toMatchObject({
      code: "not_found",
    });
    const manager = fx.a.members.manager;
    expect(await asUser(manager, (tx) => cancelAgentImportSchedule(tx, actor(manager, fx.a.id), { scheduleId }))).toEqual({
      agentName: "Sales Nav — weekly",
    });
    expect((await runSchedule(scheduleId, "after-cancel")).result).toEqual({ skipped: "The recurring import was cancelled." });
    expect((await asUser(rep(), (tx) => listAgentImportSchedules(tx, { workspaceId: fx.a.id }))).map((s) => s.id)).not.toContain(
      scheduleId,
    );
    const [imp] = await serviceDb()
      .select({ n: sql<number>`count(*)::int` })
      .from(leadImports)
      .where(eq(leadImports.workspaceId, fx.a.id));
    // Every import in the history: those with rows, and the runs that imported nothing.
    expect(imp!.n).toBe((await importCount()) + (await lastEmptyRun()).count);
  });
});
