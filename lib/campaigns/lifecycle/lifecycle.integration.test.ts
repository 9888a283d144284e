import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
  stopCampaignAction,
  withdrawCampaignApprovalAction,
} from "@/app/(app)/campaigns/lifecycle-actions";
import { serviceDb, userSettingsSql } from "@/db";
import { openAfterCommit } from "@/db/after-commit";
import { auditLog, campaignEnrollments, campaigns, emailMessages, jobEvents, notifications } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession, type Session } from "@/lib/auth/session";
import { approveCampaign } from "@/lib/campaigns/approval/approve-campaign";
import { campaignContent } from "@/lib/campaigns/content-hash";
import { createApprovedTestCampaign, createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { sendNextStep } from "@/lib/sending/send/send-next-step";
import { runningCampaign } from "@/lib/sending/send/testing/running-campaign";
import { outboxTo, serveScriptedOutbox, type ScriptedOutbox } from "@/lib/sending/send/testing/scripted-outbox";
import { createTestCampaign, submitTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  removeTenancyFixture,
  sqlState,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { CAMPAIGN_STOPPED_REASON, stopCampaign } from "./stop-campaign";

let fx: TenancyFixture;
const db = () => serviceDb();
const rep = () => fx.a.members.sales_rep;
const admin = () => fx.a.members.admin;

let outbox: ScriptedOutbox;

beforeAll(async () => {
  outbox = await serveScriptedOutbox();
  // Before anything reads env() (it is parsed once): the sequences' sends go to this outbox.
  process.env.RESEND_BASE_URL = outbox.baseUrl;
  fx = await createTenancyFixture(db());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
  await outbox?.close();
});

async function sessionOf(member: TenancyMember, workspaceId = fx.a.id): Promise<Session> {
  return resolveSession(claimsFor(member.id, member.email, await startTestSession(db(), member.id)), workspaceId);
}
async function campaignRow(id: string) {
  const [row] = await db().select().from(campaigns).where(eq(campaigns.id, id));
  return row!;
}
async function eventsNamed(name: string, campaignId: string) {
  return db()
    .select({ id: jobEvents.idempotencyKey, data: jobEvents.data })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, name), sql`${jobEvents.data}->>'campaignId' = ${campaignId}`));
}
async function auditsOf(campaignId: string, action: string) {
  return db()
    .select({ actorId: auditLog.actorId, metadata: auditLog.metadata })
    .from(auditLog)
    .where(and(eq(auditLog.targetId, campaignId), eq(auditLog.action, action)));
}
async function enrollmentsOf(campaignId: string) {
  return db().select().from(campaignEnrollments).where(eq(campaignEnrollments.campaignId, campaignId));
}
/** A lead a campaign may email: approving a campaign runs pre-flight, which needs one in its audience. */
const emailableLead = () => insertTestLead(fx.a, { email: `lead-${crypto.randomUUID()}@example.test` });
async function approvedWithLeads(n = 1) {
  const leadIds: string[] = [];
  for (let i = 0; i < n; i++) leadIds.push(await emailableLead());
  const campaign = await createApprovedTestCampaign(fx.a.id, rep(), admin(), { audience: { kind: "ids", ids: leadIds } });
  return { ...campaign, leadIds };
}
const run = async (action: { definition: never } | unknown, member: TenancyMember, input: unknown) =>
  executeAction((action as typeof launchCampaignAction).definition, await sessionOf(member), input);

describe("launching", () => {
  it("sets an approved campaign running, audited, and asks the launch job to enroll it once per approval", async () => {
    const { campaignId } = await approvedWithLeads();
    const result = await run(launchCampaignAction, admin(), { campaignId });
    expect(result).toEqual({ ok: true, data: { campaignId, status: "running" } });
    const row = await campaignRow(campaignId);
    expect(row.status).toBe("running");
    expect(row.launchedAt).toBeInstanceOf(Date);
    expect(await auditsOf(campaignId, "campaign.launched")).toMatchObject([{ actorId: admin().id }]);
    const events = await eventsNamed("campaigns/launch.requested", campaignId);
    expect(events).toEqual([
      { id: `launch-${campaignId}-${row.approvalId}`, data: { workspaceId: fx.a.id, campaignId, requestedBy: admin().id } },
    ]);
    // Not a second time.
    expect(await run(launchCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "This campaign is already running.",
    });
  });

  it("is refused in words: not an admin, not approved, changed since approval, another workspace's", async () => {
    const { campaignId, stepId } = await approvedWithLeads();
    for (const member of [fx.a.members.manager, rep()]) {
      expect(await run(launchCampaignAction, member, { campaignId })).toMatchObject({ ok: false, code: "forbidden" });
    }
    const draft = await createTestCampaign(fx.a.id, rep(), { submit: false });
    expect(await run(launchCampaignAction, admin(), { campaignId: draft.campaignId })).toMatchObject({
      ok: false,
      error: "Only an approved campaign can be launched.",
    });
    await db().execute(sql`update public.campaign_step_variants set body = 'Changed after approval.' where step_id = ${stepId}`);
    expect(await run(launchCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "This campaign changed since it was approved: it needs approval again.",
    });
    const other = await createApprovedTestCampaign(fx.b.id, fx.b.members.sales_rep, fx.b.members.admin);
    expect(await run(launchCampaignAction, admin(), { campaignId: other.campaignId })).toMatchObject({ ok: false, code: "not_found" });
    expect((await campaignRow(other.campaignId)).status).toBe("approved");
    expect(await eventsNamed("campaigns/launch.requested", campaignId)).toEqual([]);
  });
});

describe("relaunching", () => {
  it("a paused campaign edited and approved again launches anew: a new launch enrolls leads new to it, a restart resumes the active ones", async () => {
    const lead = await emailableLead();
    const { campaignId, stepId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead]);
    const firstLaunch = (await campaignRow(campaignId)).launchedAt;
    await run(pauseCampaignAction, admin(), { campaignId, reason: "Rewording step 1" });
    await db().execute(sql`update public.campaign_step_variants set body = 'Reworded.' where step_id = ${stepId}`);
    expect((await campaignRow(campaignId)).status).toBe("draft");
    await submitTestCampaign(rep(), campaignId);
    const content = await campaignContent(db(), campaignId);
    await asUser(admin(), (tx) =>
      approveCampaign(
        tx,
        { userId: admin().id, current: { workspaceId: fx.a.id, role: "admin" } },
        { campaignId, reviewedHash: content!.hash },
      ),
    );

    expect(await run(launchCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
    const row = await campaignRow(campaignId);
    expect(row.launchedAt).toEqual(firstLaunch);
    expect(await eventsNamed("campaigns/launch.requested", campaignId)).toMatchObject([{ id: `launch-${campaignId}-${row.approvalId}` }]);
    expect(await eventsNamed("campaigns/resume.requested", campaignId)).toMatchObject([{ id: `relaunch-${campaignId}-${row.approvalId}` }]);
  });
});

describe("pausing and resuming", () => {
  it("an admin pauses with a reason, audited, and the paused event goes out; a resume restarts it", async () => {
    const lead = await emailableLead();
    const { campaignId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead]);
    expect(await run(pauseCampaignAction, admin(), { campaignId, reason: "  " })).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { reason: ["Say why it is paused: the team reads it on the campaign page."] },
    });
    expect(await run(pauseCampaignAction, fx.a.members.manager, { campaignId, reason: "Wrong list" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await run(pauseCampaignAction, admin(), { campaignId, reason: "Checking the list" })).toEqual({
      ok: true,
      data: { campaignId, status: "paused" },
    });
    const paused = await campaignRow(campaignId);
    expect(paused).toMatchObject({ status: "paused", pauseReason: "Checking the list", pausedBy: admin().id });
    expect(await auditsOf(campaignId, "campaign.paused")).toMatchObject([
      { actorId: admin().id, metadata: { reason: "Checking the list" } },
    ]);
    expect(await eventsNamed("campaigns/campaign.paused", campaignId)).toHaveLength(1);
    expect(await run(pauseCampaignAction, admin(), { campaignId, reason: "Again" })).toMatchObject({
      ok: false,
      error: "This campaign is already paused.",
    });

    expect(await run(resumeCampaignAction, admin(), { campaignId })).toEqual({ ok: true, data: { campaignId, status: "running" } });
    expect(await campaignRow(campaignId)).toMatchObject({ status: "running", pauseReason: null, pausedAt: null, pausedBy: null });
    expect(await auditsOf(campaignId, "campaign.resumed")).toMatchObject([{ metadata: { pauseReason: "Checking the list" } }]);
    expect(await eventsNamed("campaigns/resume.requested", campaignId)).toHaveLength(1);
    expect(await run(resumeCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "This campaign is already running.",
    });
  });

  it("refuses to pause what is not running and to resume what is not paused", async () => {
    const { campaignId } = await approvedWithLeads();
    expect(await run(pauseCampaignAction, admin(), { campaignId, reason: "Why not" })).toMatchObject({
      ok: false,
      error: "Only a running campaign can be paused.",
    });
    expect(await run(resumeCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "Only a paused campaign can be resumed.",
    });
  });

  it("a paused campaign edited since (back in draft) is not resumed: it needs approval again", async () => {
    const lead = await emailableLead();
    const { campaignId, stepId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead]);
    await run(pauseCampaignAction, admin(), { campaignId, reason: "Fixing a typo" });
    await db().execute(sql`update public.campaign_step_variants set body = 'Typo fixed.' where step_id = ${stepId}`);
    expect(await run(resumeCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "This campaign changed since it was approved: it needs approval again.",
    });
    expect((await campaignRow(campaignId)).status).toBe("draft");
  });
});

describe("stopping", () => {
  it("an admin stops a running campaign for good: every active enrollment ends, audited, the stopped event goes out", async () => {
    const leads = [await emailableLead(), await emailableLead()];
    const { campaignId, enrollmentIds } = await createRunningTestCampaign(fx.a.id, rep(), admin(), leads);
    await db().update(campaignEnrollments).set({ status: "completed" }).where(eq(campaignEnrollments.id, enrollmentIds[1]!));
    expect(await run(stopCampaignAction, fx.a.members.manager, { campaignId })).toMatchObject({ ok: false, code: "forbidden" });

    expect(await run(stopCampaignAction, admin(), { campaignId })).toEqual({ ok: true, data: { campaignId, status: "stopped" } });
    const row = await campaignRow(campaignId);
    expect(row.status).toBe("stopped");
    expect(row.finishedAt).toBeInstanceOf(Date);
    const enrollments = await enrollmentsOf(campaignId);
    expect(enrollments.find((e) => e.id === enrollmentIds[0])).toMatchObject({
      status: "stopped",
      endCause: "campaign_stopped",
      stopReason: CAMPAIGN_STOPPED_REASON,
      nextSendAt: null,
    });
    expect(enrollments.find((e) => e.id === enrollmentIds[1])).toMatchObject({ status: "completed", endCause: null });
    expect(await auditsOf(campaignId, "campaign.stopped")).toMatchObject([{ actorId: admin().id, metadata: { from: "running" } }]);
    expect(await eventsNamed("campaigns/campaign.stopped", campaignId)).toHaveLength(1);

    expect(await run(stopCampaignAction, admin(), { campaignId })).toMatchObject({ ok: false, error: "This campaign is already stopped." });
    expect(await run(resumeCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "Only a paused campaign can be resumed.",
    });
    expect(await run(launchCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "Only an approved campaign can be launched.",
    });
  });

  it("ends the enrollments in the stop's own transaction: a process that dies right after the commit leaves none active, and their runs send nothing", async () => {
    const r = await runningCampaign(fx.a, 2);
    const before = outbox.requests.length;
    // The admin's request, committed, whose process then dies: the work it left for after the
    // commit (db/after-commit.ts) never runs.
    await db().transaction(async (tx) => {
      openAfterCommit(tx);
      await tx.execute(sql.raw(userSettingsSql(claimsFor(admin().id, admin().email))));
      await stopCampaign(tx, { userId: admin().id, workspaceId: fx.a.id, role: "admin" }, { campaignId: r.campaignId });
    });
    const row = await campaignRow(r.campaignId);
    expect(row.status).toBe("stopped");
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect((await enrollmentsOf(r.campaignId)).map((e) => ({ status: e.status, endCause: e.endCause, reason: e.stopReason }))).toEqual([
      { status: "stopped", endCause: "campaign_stopped", reason: CAMPAIGN_STOPPED_REASON },
      { status: "stopped", endCause: "campaign_stopped", reason: CAMPAIGN_STOPPED_REASON },
    ]);
    // Their sequence runs, never cancelled (the stopped event was never sent), wake and send nothing.
    for (const enrollmentId of r.enrollmentIds) {
      const outcome = await sendNextStep(db(), { workspaceId: fx.a.id, campaignId: r.campaignId, enrollmentId, generation: 1 });
      expect(outcome).toMatchObject({ next: "done" });
    }
    expect(await db().$count(emailMessages, eq(emailMessages.campaignId, r.campaignId))).toBe(0);
    expect(outbox.requests.length).toBe(before);
  });

  it("a run of an enrollment still active on a stopped campaign (stopped before this fix) sends nothing", async () => {
    const r = await runningCampaign(fx.a, 1);
    await db().execute(sql`update public.campaigns set status = 'stopped' where id = ${r.campaignId}`);
    const input = { workspaceId: fx.a.id, campaignId: r.campaignId, enrollmentId: r.enrollmentIds[0]!, generation: 1 };
    expect(await sendNextStep(db(), input)).toEqual({ next: "done", outcome: "held" });
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
  });

  it("only a stopped campaign's enrollments end with the stop, and only by an admin", async () => {
    const lead = await emailableLead();
    const { campaignId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead]);
    const finish = (member: TenancyMember) =>
      asUser(member, (tx) => tx.execute(sql`select private.finish_campaign_stop(${campaignId}::uuid)`)).then(
        () => "allowed",
        (error: unknown) => sqlState(error),
      );
    expect(await finish(admin())).toBe("23514");
    await db().execute(sql`update public.campaigns set status = 'stopped' where id = ${campaignId}`);
    expect(await finish(fx.a.members.manager)).toBe("42501");
    expect((await enrollmentsOf(campaignId))[0]!.status).toBe("active");
    expect(await finish(admin())).toBe("allowed");
    expect((await enrollmentsOf(campaignId))[0]!.status).toBe("stopped");
  });

  it("a campaign edited since its launch (back in draft, or submitted again) can be stopped: its enrollments end; a draft never launched cannot", async () => {
    for (const resubmit of [false, true]) {
      const lead = await emailableLead();
      const { campaignId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead]);
      await db().execute(sql`update public.campaigns set stop_on_reply = not stop_on_reply where id = ${campaignId}`);
      expect((await campaignRow(campaignId)).status).toBe("draft");
      if (resubmit) await submitTestCampaign(rep(), campaignId);
      expect(await run(stopCampaignAction, admin(), { campaignId })).toEqual({ ok: true, data: { campaignId, status: "stopped" } });
      expect((await enrollmentsOf(campaignId)).map((e) => [e.status, e.endCause])).toEqual([["stopped", "campaign_stopped"]]);
      expect(await auditsOf(campaignId, "campaign.stopped")).toMatchObject([
        { actorId: admin().id, metadata: { from: resubmit ? "pending_approval" : "draft" } },
      ]);
    }
    const never = await createTestCampaign(fx.a.id, rep(), { submit: false });
    expect(await run(stopCampaignAction, admin(), { campaignId: never.campaignId })).toMatchObject({
      ok: false,
      error: "Only an approved, running or paused campaign can be stopped.",
    });
    // The guard refuses it too, whoever asks.
    const refused = await db()
      .execute(sql`update public.campaigns set status = 'stopped' where id = ${never.campaignId}`)
      .then(
        () => "allowed",
        (error: unknown) => sqlState(error),
      );
    expect(refused).toBe("23514");
  });

  it("the database refuses a manager who stops or pauses a campaign directly (the 0023 guard)", async () => {
    const lead = await emailableLead();
    const { campaignId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead]);
    for (const status of ["stopped", "paused"]) {
      const refused = await asUser(fx.a.members.manager, (tx) =>
        tx.execute(sql`update public.campaigns set status = ${status}::campaign_status where id = ${campaignId}`),
      ).then(
        () => "allowed",
        (error: unknown) => sqlState(error),
      );
      expect(refused).toBe("42501");
    }
    expect((await campaignRow(campaignId)).status).toBe("running");
  });
});

describe("withdrawing an approval", () => {
  it("an admin takes back the approval of a campaign never launched: back to draft with no approval, audited; launch then refuses", async () => {
    const { campaignId } = await approvedWithLeads();
    const { approvalId } = await campaignRow(campaignId);
    for (const member of [rep(), fx.a.members.manager]) {
      expect(await run(withdrawCampaignApprovalAction, member, { campaignId })).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect((await campaignRow(campaignId)).status).toBe("approved");

    expect(await run(withdrawCampaignApprovalAction, admin(), { campaignId })).toEqual({ ok: true, data: { campaignId, status: "draft" } });
    expect(await campaignRow(campaignId)).toMatchObject({
      status: "draft",
      approvalId: null,
      approvedContentHash: null,
      approvedAt: null,
      approvedBy: null,
      launchedAt: null,
    });
    expect(await auditsOf(campaignId, "campaign.approval_withdrawn")).toMatchObject([{ actorId: admin().id, metadata: { approvalId } }]);
    // Its author hears why it is back in draft; the admin who withdrew it is not told of their own act.
    const told = await db()
      .select({ userId: notifications.userId, title: notifications.title, link: notifications.link })
      .from(notifications)
      .where(and(eq(notifications.subjectId, campaignId), eq(notifications.kind, "campaign_approval_withdrawn")));
    expect(told).toEqual([{ userId: rep().id, title: expect.stringContaining("is back in draft"), link: `/campaigns/${campaignId}` }]);
    expect(await run(launchCampaignAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "Only an approved campaign can be launched.",
    });
    expect(await run(withdrawCampaignApprovalAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "Only an approved campaign's approval can be withdrawn.",
    });
  });

  it("is refused for a campaign launched before: it is running, paused, or approved again after an edit (a stop ends its enrollments)", async () => {
    const lead = await emailableLead();
    const { campaignId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead]);
    expect(await run(withdrawCampaignApprovalAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "This campaign is already launched: pause it or stop it instead.",
    });
    // Edited while running (back to draft), approved again: launched before, not yet relaunched.
    await db().execute(
      sql`update public.campaigns set name = name || ' (edited)', stop_on_reply = not stop_on_reply where id = ${campaignId}`,
    );
    expect((await campaignRow(campaignId)).status).toBe("draft");
    await submitTestCampaign(rep(), campaignId);
    const content = await campaignContent(db(), campaignId);
    await asUser(admin(), (tx) =>
      approveCampaign(
        tx,
        { userId: admin().id, current: { workspaceId: fx.a.id, role: "admin" } },
        { campaignId, reviewedHash: content!.hash },
      ),
    );
    expect((await campaignRow(campaignId)).status).toBe("approved");
    expect(await run(withdrawCampaignApprovalAction, admin(), { campaignId })).toMatchObject({
      ok: false,
      error: "This campaign was launched before: stop it instead, which also ends its leads' sequences.",
    });
  });
});
