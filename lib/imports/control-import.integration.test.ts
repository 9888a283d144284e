import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import {
  cancelLeadImportAction,
  pauseLeadImportAction,
  resumeLeadImportAction,
  startLeadImportAction,
} from "@/app/(app)/imports/[id]/actions";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession, type Session } from "@/lib/auth/session";
import { runReaching, startTestExecutor, stepsOf, productFunctions } from "@/lib/jobs/testing/harness";
import { createTestImport } from "@/tests/fixtures/imports";
import { insertTestLead } from "@/tests/fixtures/leads";
import {
  claimsFor,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { recordCancelledRun } from "@/inngest/functions/jobs/record-cancelled-run";
import { systemFunctionId } from "@/lib/jobs/app-id";
import { listLeadImports } from "./list-lead-imports";
import { IMPORT_BATCH_SIZE, runImportBatch } from "./run-import-batch";
import type { ColumnTarget, ImportRules, ImportTarget } from "./types";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

const f = (field: ImportTarget): ColumnTarget => ({ kind: "field", field });
const HEADERS = ["Name", "Work Email"];
const MAPPING = { columns: [f("full_name"), f("email")] };
const RULES: ImportRules = { onMatch: "skip", owner: { kind: "none" }, tags: [] };

async function sessionOf(member: TenancyMember, workspaceId: string): Promise<Session> {
  const sessionId = await startTestSession(serviceDb(), member.id);
  return resolveSession(claimsFor(member.id, member.email, sessionId), workspaceId);
}

async function uploaded(workspaceId: string, by: string, rows: number): Promise<string> {
  const t = randomSuffix();
  return createTestImport({
    workspaceId,
    createdBy: by,
    headers: HEADERS,
    rows: Array.from({ length: rows }, (_, i) => [`Zoë Núñez ${i}`, `z${i}.${t}@acme.io`]),
  });
}

/** The import as a start leaves it (queued with its mapping and rules), without sending its event. */
async function queuedAsStarted(importId: string): Promise<void> {
  await serviceDb().execute(sql`update public.lead_imports set status = 'queued', mapping = ${JSON.stringify(MAPPING)}::jsonb,
    rules = ${JSON.stringify(RULES)}::jsonb where id = ${importId}`);
}

async function importRow(id: string) {
  const [row] = await serviceDb().execute<{
    status: string;
    job_event_id: string | null;
    processed_rows: number;
    inserted: number;
    error: string | null;
  }>(sql`select status::text, job_event_id, processed_rows, inserted, error from public.lead_imports where id = ${id}`);
  return row!;
}

describe("starting and steering an import", () => {
  it("starts from the action after its commit, and the local executor runs it to the end", async () => {
    const executor = await startTestExecutor(productFunctions("run-lead-import"));
    try {
      const manager = fx.a.members.manager;
      const importId = await uploaded(fx.a.id, manager.id, IMPORT_BATCH_SIZE + 5);
      const session = await sessionOf(manager, fx.a.id);
      const result = await executeAction(startLeadImportAction.definition, session, {
        importId,
        preset: "generic",
        mapping: MAPPING,
        rules: RULES,
      });
      expect(result).toMatchObject({ ok: true, data: { importId, status: "queued" } });
      const eventId = (await importRow(importId)).job_event_id;
      expect(eventId).toBeTruthy();
      const run = await runReaching(eventId!, ["completed"], 120_000);
      expect(run).toMatchObject({ workspace_id: fx.a.id, function_id: "run-lead-import" });
      expect(run.output).toMatchObject({ status: "completed", processedRows: IMPORT_BATCH_SIZE + 5 });
      expect((await stepsOf(run.id)).map((s) => s.step_id)).toEqual(["batch-0", "batch-1", "forget-keys"]);
      expect(await importRow(importId)).toMatchObject({ status: "completed", inserted: IMPORT_BATCH_SIZE + 5 });
      expect(await serviceDb().execute(sql`select 1 from public.lead_import_keys where import_id = ${importId}`)).toHaveLength(0);

      const again = await executeAction(startLeadImportAction.definition, session, {
        importId,
        preset: null,
        mapping: MAPPING,
        rules: RULES,
      });
      expect(again).toMatchObject({ ok: false, code: "conflict", error: "This import has already been started (it is finished)." });
    } finally {
      await executor.stop();
    }
  }, 180_000);

  it("pauses between batches, resumes from the cursor with a new event, and cancels for good", async () => {
    const manager = fx.a.members.manager;
    const importId = await uploaded(fx.a.id, manager.id, 5);
    const session = await sessionOf(manager, fx.a.id);
    const ref = { workspaceId: fx.a.id, importId, requestedBy: manager.id };
    expect(await executeAction(pauseLeadImportAction.definition, session, { importId })).toMatchObject({
      ok: false,
      code: "conflict",
      error: "This import is waiting for its mapping: only a running import can be paused.",
    });
    await queuedAsStarted(importId);
    await runImportBatch(ref, 2);
    expect(await executeAction(pauseLeadImportAction.definition, session, { importId })).toMatchObject({
      ok: true,
      data: { status: "paused" },
    });
    expect(await runImportBatch(ref, 2)).toMatchObject({ status: "paused", processedRows: 2 });

    const resumed = await executeAction(resumeLeadImportAction.definition, session, { importId });
    expect(resumed).toMatchObject({ ok: true, data: { status: "queued" } });
    const [event] = await serviceDb().execute<{ name: string; data: unknown }>(
      sql`select name, data from public.job_events where id = ${(await importRow(importId)).job_event_id}`,
    );
    expect(event).toMatchObject({ name: "leads/import.requested", data: { importId, workspaceId: fx.a.id, requestedBy: manager.id } });
    expect(await runImportBatch(ref, 2)).toMatchObject({ status: "running", processedRows: 4 });

    expect(await executeAction(cancelLeadImportAction.definition, session, { importId })).toMatchObject({
      ok: true,
      data: { status: "cancelled" },
    });
    expect(await runImportBatch(ref, 2)).toMatchObject({ status: "cancelled", processedRows: 4 });
    expect(await importRow(importId)).toMatchObject({ status: "cancelled", processed_rows: 4, inserted: 4 });
    expect(await executeAction(resumeLeadImportAction.definition, session, { importId })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("forgets the identities it remembered when it is cancelled while paused, as when a run sees the cancel", async () => {
    const manager = fx.a.members.manager;
    const importId = await uploaded(fx.a.id, manager.id, 4);
    const session = await sessionOf(manager, fx.a.id);
    const ref = { workspaceId: fx.a.id, importId, requestedBy: manager.id };
    await queuedAsStarted(importId);
    await runImportBatch(ref, 2);
    expect(await executeAction(pauseLeadImportAction.definition, session, { importId })).toMatchObject({ ok: true });
    expect(await runImportBatch(ref, 2)).toMatchObject({ status: "paused" });
    const keys = () => serviceDb().execute(sql`select 1 from public.lead_import_keys where import_id = ${importId}`);
    expect(await keys()).toHaveLength(2);

    expect(await executeAction(cancelLeadImportAction.definition, session, { importId })).toMatchObject({
      ok: true,
      data: { status: "cancelled" },
    });
    expect(await keys()).toHaveLength(0);
  });

  it("counts the time it spends paused apart, so its rate and time left leave pauses out", async () => {
    const manager = fx.a.members.manager;
    const importId = await uploaded(fx.a.id, manager.id, 4);
    const session = await sessionOf(manager, fx.a.id);
    await queuedAsStarted(importId);
    // Paused an hour while it waited its turn, before any batch: no work of it was held up.
    await executeAction(pauseLeadImportAction.definition, session, { importId });
    await serviceDb().execute(sql`update public.lead_imports set paused_at = paused_at - interval '1 hour' where id = ${importId}`);
    await executeAction(resumeLeadImportAction.definition, session, { importId });
    await runImportBatch({ workspaceId: fx.a.id, importId, requestedBy: manager.id }, 2);
    const paused = async () => {
      const [row] = await serviceDb().execute<{ paused: boolean; paused_ms: number }>(
        sql`select paused_at is not null as paused, paused_ms::int from public.lead_imports where id = ${importId}`,
      );
      return row!;
    };
    await executeAction(pauseLeadImportAction.definition, session, { importId });
    expect(await paused()).toEqual({ paused: true, paused_ms: 0 });
    // As if its first batch had begun two hours ago and the pause one hour ago.
    await serviceDb().execute(
      sql`update public.lead_imports set paused_at = paused_at - interval '1 hour', started_at = started_at - interval '2 hours' where id = ${importId}`,
    );
    await executeAction(resumeLeadImportAction.definition, session, { importId });
    const afterResume = await paused();
    expect(afterResume.paused).toBe(false);
    expect(afterResume.paused_ms).toBeGreaterThanOrEqual(3_600_000);
    expect(afterResume.paused_ms).toBeLessThan(3_660_000);

    await executeAction(pauseLeadImportAction.definition, session, { importId });
    await serviceDb().execute(sql`update public.lead_imports set paused_at = paused_at - interval '10 minutes' where id = ${importId}`);
    expect(await executeAction(cancelLeadImportAction.definition, session, { importId })).toMatchObject({ ok: true });
    expect((await paused()).paused_ms).toBeGreaterThanOrEqual(4_200_000);
    const { imports } = await withUserTx(claimsFor(manager.id, manager.email), (tx) =>
      listLeadImports(tx, { workspaceId: fx.a.id, limit: 50 }),
    );
    const listed = imports.find((i) => i.id === importId)!;
    expect(listed).toMatchObject({ status: "cancelled", pausedAt: null });
    expect(listed.pausedMs).toBeGreaterThanOrEqual(4_200_000);
  });

  it("keeps the rights of the person who started it, not of its uploader, when it is resumed", async () => {
    // A sales rep uploads; a manager starts it, giving the new leads to the admin (which the rep
    // may not do); it is paused after its first batch, and the rep resumes it.
    const rep = fx.a.members.sales_rep;
    const manager = fx.a.members.manager;
    const admin = fx.a.members.admin;
    const importId = await uploaded(fx.a.id, rep.id, 4);
    const rules: ImportRules = { onMatch: "overwrite", owner: { kind: "member", userId: admin.id }, tags: [] };
    const started = await executeAction(startLeadImportAction.definition, await sessionOf(manager, fx.a.id), {
      importId,
      preset: null,
      mapping: MAPPING,
      rules,
    });
    expect(started).toMatchObject({ ok: true, data: { status: "queued" } });
    const eventOf = async () => {
      const [event] = await serviceDb().execute<{ data: { workspaceId: string; importId: string; requestedBy: string } }>(
        sql`select data from public.job_events where id = ${(await importRow(importId)).job_event_id}`,
      );
      return event!.data;
    };
    expect((await eventOf()).requestedBy).toBe(manager.id);
    await runImportBatch(await eventOf(), 2);
    const repSession = await sessionOf(rep, fx.a.id);
    expect(await executeAction(pauseLeadImportAction.definition, repSession, { importId })).toMatchObject({ ok: true });

    expect(await executeAction(resumeLeadImportAction.definition, repSession, { importId })).toMatchObject({ ok: true });
    expect((await eventOf()).requestedBy).toBe(manager.id);
    expect(await runImportBatch(await eventOf(), 2)).toMatchObject({ status: "completed", processedRows: 4 });
    expect(await importRow(importId)).toMatchObject({ inserted: 4, error: null });
    const owners = await serviceDb().execute<{ owner_id: string }>(
      sql`select distinct l.owner_id from public.leads l join public.lead_import_keys k on k.key = 'i:' || l.id where k.import_id = ${importId}`,
    );
    expect(owners).toEqual([{ owner_id: admin.id }]);
  });

  it("keeps the rights of the person who started it when someone else resumes it", async () => {
    // A sales rep's file that would overwrite a lead the rep may not edit (the manager's), paused
    // after its first batch; a manager, who may resume anyone's import, resumes it.
    const rep = fx.a.members.sales_rep;
    const manager = fx.a.members.manager;
    const t = randomSuffix();
    const target = `owned.${t}@acme.io`;
    const leadId = await insertTestLead(fx.a, { email: target, ownerId: manager.id, title: "CTO" });
    const importId = await createTestImport({
      workspaceId: fx.a.id,
      createdBy: rep.id,
      headers: ["Name", "Work Email", "Title"],
      rows: [
        ["Zoë Núñez", `zoe.${t}@acme.io`, "Founder"],
        ["Åsa Berg", `asa.${t}@acme.io`, "COO"],
        ["Hostile Row", target, "Intern"],
        ["Jiří Novák", `jiri.${t}@acme.io`, "CFO"],
      ],
      start: {
        preset: "generic",
        mapping: { columns: [f("full_name"), f("email"), f("title")] },
        rules: { onMatch: "overwrite", owner: { kind: "none" }, tags: [] },
      },
    });
    await runImportBatch({ workspaceId: fx.a.id, importId, requestedBy: rep.id }, 2);
    expect(await executeAction(pauseLeadImportAction.definition, await sessionOf(rep, fx.a.id), { importId })).toMatchObject({ ok: true });

    const resumed = await executeAction(resumeLeadImportAction.definition, await sessionOf(manager, fx.a.id), { importId });
    expect(resumed).toMatchObject({ ok: true, data: { status: "queued" } });
    const [event] = await serviceDb().execute<{ data: { workspaceId: string; importId: string; requestedBy: string } }>(
      sql`select data from public.job_events where id = ${(await importRow(importId)).job_event_id}`,
    );
    expect(event!.data.requestedBy).toBe(rep.id);
    await runImportBatch(event!.data, 2);

    const [lead] = await serviceDb().execute<{ title: string }>(sql`select title from public.leads where id = ${leadId}`);
    expect(lead!.title).toBe("CTO");
    const [issue] = await serviceDb().execute<{ reason: string }>(
      sql`select reason::text from public.lead_import_issues where import_id = ${importId} and row_number = 3`,
    );
    expect(issue?.reason).toBe("not_permitted");
  });

  it("answers a pause or cancel at once while a batch is under way, and applies it when that batch ends", async () => {
    const manager = fx.a.members.manager;
    const importId = await uploaded(fx.a.id, manager.id, 6);
    const session = await sessionOf(manager, fx.a.id);
    const ref = { workspaceId: fx.a.id, importId, requestedBy: manager.id };
    await queuedAsStarted(importId);
    /** The action's answer, or "still waiting" once the batch has been held for 5 s. */
    const answerWhileBatchRuns = (action: typeof pauseLeadImportAction) => {
      let answer: unknown = "still waiting";
      return {
        hooks: {
          afterWrites: () =>
            Promise.race([
              executeAction(action.definition, session, { importId }).then((result) => void (answer = result)),
              new Promise<void>((resolve) => setTimeout(resolve, 5_000)),
            ]),
        },
        answer: () => answer,
      };
    };

    const pause = answerWhileBatchRuns(pauseLeadImportAction);
    expect(await runImportBatch(ref, 2, pause.hooks)).toMatchObject({ status: "paused", processedRows: 2 });
    expect(pause.answer()).toMatchObject({ ok: true, data: { status: "paused" } });
    expect(await importRow(importId)).toMatchObject({ status: "paused", processed_rows: 2, inserted: 2 });
    expect(await runImportBatch(ref, 2)).toMatchObject({ status: "paused", processedRows: 2 });

    await executeAction(resumeLeadImportAction.definition, session, { importId });
    const cancel = answerWhileBatchRuns(cancelLeadImportAction);
    expect(await runImportBatch(ref, 2, cancel.hooks)).toMatchObject({ status: "cancelled", processedRows: 4 });
    expect(cancel.answer()).toMatchObject({ ok: true, data: { status: "cancelled" } });
    const [row] = await serviceDb().execute<{ status: string; inserted: number; finished: boolean }>(
      sql`select status::text, inserted, finished_at is not null as finished from public.lead_imports where id = ${importId}`,
    );
    expect(row).toEqual({ status: "cancelled", inserted: 4, finished: true });
  });

  it("keeps an import failed when its job run is cancelled (Jobs page) while a batch is under way", async () => {
    const manager = fx.a.members.manager;
    const importId = await uploaded(fx.a.id, manager.id, 6);
    const ref = { workspaceId: fx.a.id, importId, requestedBy: manager.id };
    await queuedAsStarted(importId);
    // What record-cancelled-run does for the cancelled run, while the batch holds its work open.
    const cancel = () =>
      recordCancelledRun({
        event: {
          data: {
            function_id: systemFunctionId("run-lead-import"),
            run_id: "cancelled-run",
            event: { name: "leads/import.requested", data: ref },
          },
        },
      }).then(() => undefined);
    expect(await runImportBatch(ref, 2, { afterWrites: cancel })).toMatchObject({
      status: "failed",
      processedRows: 2,
    });
    expect(await importRow(importId)).toMatchObject({
      status: "failed",
      processed_rows: 2,
      inserted: 2,
      error: expect.stringMatching(/the job was cancelled \(on the Jobs page, or in Inngest\) before it finished/),
    });
  });

  it("refuses what the person may not do, in words", async () => {
    const { manager, sales_rep: rep, viewer } = fx.a.members;
    const importId = await uploaded(fx.a.id, rep.id, 2);
    const start = (session: Session, rules: ImportRules, mapping = MAPPING, id = importId) =>
      executeAction(startLeadImportAction.definition, session, { importId: id, preset: null, mapping, rules });

    expect(await start(await sessionOf(viewer, fx.a.id), RULES)).toMatchObject({ ok: false, code: "forbidden" });
    const repSession = await sessionOf(rep, fx.a.id);
    expect(await start(repSession, { ...RULES, owner: { kind: "round_robin", userIds: [rep.id, manager.id] } })).toMatchObject({
      ok: false,
      code: "forbidden",
      error: "As a sales rep you can give imported leads only to yourself. Ask a manager to share them out.",
    });
    const managerSession = await sessionOf(manager, fx.a.id);
    expect(await start(managerSession, { ...RULES, owner: { kind: "member", userId: viewer.id } })).toMatchObject({
      ok: false,
      code: "invalid_input",
    });
    expect(await start(managerSession, { ...RULES, owner: { kind: "member", userId: fx.b.members.manager.id } })).toMatchObject({
      ok: false,
      code: "invalid_input",
    });
    expect(await start(managerSession, RULES, { columns: [f("email")] })).toMatchObject({
      ok: false,
      error: "The file has 2 columns: choose what each of them fills (or ignore it).",
    });
    // A file's preset only: one naming Apollo's search or the REST API would label the leads and the history so.
    for (const preset of ["apollo_api", "api", "hubspot"]) {
      const refused = await executeAction(startLeadImportAction.definition, managerSession, {
        importId,
        preset,
        mapping: MAPPING,
        rules: RULES,
      });
      expect(refused).toMatchObject({
        ok: false,
        code: "invalid_input",
        fieldErrors: { preset: [expect.stringContaining("Choose one of the presets")] },
      });
    }
    // Another workspace's import is not found, whatever its id.
    const theirs = await uploaded(fx.b.id, fx.b.members.manager.id, 1);
    expect(await start(managerSession, RULES, MAPPING, theirs)).toMatchObject({ ok: false, code: "not_found" });
    expect(await start(repSession, { ...RULES, owner: { kind: "member", userId: rep.id } })).toMatchObject({ ok: true });
    expect(await importRow(importId)).toMatchObject({ status: "queued" });
  });

  it("stops when the person who started it may no longer import", async () => {
    const rep = fx.b.members.sales_rep;
    const importId = await uploaded(fx.b.id, rep.id, 3);
    await queuedAsStarted(importId);
    await serviceDb().execute(
      sql`update public.workspace_members set role = 'viewer' where workspace_id = ${fx.b.id} and user_id = ${rep.id}`,
    );
    try {
      expect(await runImportBatch({ workspaceId: fx.b.id, importId, requestedBy: rep.id })).toMatchObject({
        status: "failed",
        processedRows: 0,
      });
      expect((await importRow(importId)).error).toBe("Stopped: the person who started this import may no longer import leads here.");
    } finally {
      await serviceDb().execute(
        sql`update public.workspace_members set role = 'sales_rep' where workspace_id = ${fx.b.id} and user_id = ${rep.id}`,
      );
    }
  });
});
