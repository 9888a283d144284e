import { and, eq, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchCampaignAction, pauseCampaignAction, resumeCampaignAction } from "@/app/(app)/campaigns/lifecycle-actions";
import { serviceDb, withServiceTx } from "@/db";
import { auditLog, campaignEnrollments, campaigns, jobEvents, jobRuns, leads, notifications } from "@/db/schema";
import { launchCampaign, launchCampaignFunction } from "@/inngest/functions/campaigns/launch-campaign";
import { resumeCampaign, resumeCampaignFunction } from "@/inngest/functions/campaigns/resume-campaign";
import { executeAction } from "@/lib/actions/execute-action";
import { resolveSession } from "@/lib/auth/session";
import { approveCampaign } from "@/lib/campaigns/approval/approve-campaign";
import { campaignContent } from "@/lib/campaigns/content-hash";
import type { StoredAudience } from "@/lib/campaigns/types";
import { replayJobRun } from "@/lib/jobs/runs/manage-job-run";
import { startTestExecutor, waitFor, type TestExecutor } from "@/lib/jobs/testing/harness";
import { sendEvent } from "@/lib/jobs/send-event";
import { deleteSendingIdentity } from "@/lib/sending-identities/sending-identities";
import { addSuppression } from "@/lib/suppressions/add-suppression";
import { approveTestCampaign, createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTestCampaign, submitTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { enrollAudienceBatch } from "./enroll-audience";
import { launchCampaign as launchCampaignService } from "./launch-campaign";
import { beginRestarting, finishRestarting, holdLaunch, LAUNCH_HELD_REASONS } from "./launch-progress";
import { NO_IDENTITY_LEFT_REASON } from "./restart-enrollments";

let fx: TenancyFixture;
const db = () => serviceDb();
const rep = () => fx.a.members.sales_rep;
const admin = () => fx.a.members.admin;

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  // Leads without a zone of their own are sent to in the workspace's.
  await db().execute(sql`update public.workspaces set time_zone = 'Europe/Paris' where id = ${fx.a.id}`);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

/** Replays, as the Jobs page does, the failure handler `functionId` ran for the campaign, and waits for it to finish. */
async function replayFailureHandler(functionId: string, campaignId: string) {
  const [handler] = await db()
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .innerJoin(jobEvents, eq(jobEvents.id, jobRuns.eventId))
    .where(and(eq(jobRuns.functionId, functionId), sql`${jobEvents.data} #>> '{event,data,campaignId}' = ${campaignId}`));
  const { runId } = await replayJobRun(
    db(),
    { workspaceId: fx.a.id, runId: handler!.id },
    { userId: fx.a.members.admin.id, via: "jobs_page" },
  );
  await waitFor(
    async () => (await db().select({ status: jobRuns.status }).from(jobRuns).where(eq(jobRuns.id, runId)))[0]?.status === "completed",
    { timeoutMs: 20_000, what: "the replayed failure handler to run" },
  );
}

async function runAs(
  action: typeof launchCampaignAction | typeof pauseCampaignAction | typeof resumeCampaignAction,
  member: TenancyMember,
  input: object,
) {
  const session = await resolveSession(claimsFor(member.id, member.email, await startTestSession(db(), member.id)), fx.a.id);
  return executeAction(action.definition as typeof launchCampaignAction.definition, session, input);
}

/** An approved campaign of `audience` sending from two mailboxes open Monday–Friday 09:00–17:00. */
async function approvedFromTwoMailboxes(audience: StoredAudience) {
  const campaign = await createTestCampaign(fx.a.id, rep(), { submit: false });
  const [second] = await db().execute<{ id: string }>(sql`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address)
    values (${fx.a.id}, 'Léa Petit', ${`lea-${randomSuffix()}@acme.example`}, '1 Rue de la Paix, 75002 Paris') returning id`);
  await db().execute(sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id)
    values (${fx.a.id}, ${campaign.campaignId}, ${second!.id})`);
  await db().execute(sql`update public.sending_identities set send_days = '{1,2,3,4,5}', send_from_minute = 540, send_until_minute = 1020
    where id in (${campaign.identityId}, ${second!.id})`);
  await db().execute(sql`update public.campaigns set audience = ${JSON.stringify(audience)}::jsonb where id = ${campaign.campaignId}`);
  await submitTestCampaign(rep(), campaign.campaignId);
  const content = await campaignContent(db(), campaign.campaignId);
  await asUser(admin(), (tx) =>
    approveCampaign(
      tx,
      { userId: admin().id, current: { workspaceId: fx.a.id, role: "admin" } },
      {
        campaignId: campaign.campaignId,
        reviewedHash: content!.hash,
      },
    ),
  );
  return { campaignId: campaign.campaignId, identityIds: [campaign.identityId, second!.id].sort() };
}

const lead = (values: Partial<typeof leads.$inferInsert> = {}) =>
  insertTestLead(fx.a, { email: `lead-${randomSuffix()}@example.test`, ...values });

describe("a launch batch", () => {
  // Saturday 7 March 2026, noon UTC: the first sends wait for Monday 9 March, 09:00 in each
  // lead's zone. New York moves to summer time on Sunday 8 March (UTC-4), Paris not yet (UTC+1).
  const saturday = new Date("2026-03-07T12:00:00Z");

  it("enrolls the leads the campaign may email now, one mailbox each in turn, first send in the lead's window", async () => {
    const newYork = await lead({ timeZone: "America/New_York" });
    const paris = await lead();
    const unknownZone = await lead({ timeZone: "Mars/Olympus_Mons" });
    const unsubscribed = await lead({ status: "unsubscribed" });
    const noEmail = await insertTestLead(fx.a, { email: null });
    const suppressedLater = await lead();
    const busyElsewhere = await lead();
    const all = [newYork, paris, unknownZone, unsubscribed, noEmail, suppressedLater, busyElsewhere];
    const { campaignId, identityIds } = await approvedFromTwoMailboxes({ kind: "ids", ids: all });
    // Exclusions are resolved again at launch, not as they were at approval.
    const [address] = await db().select({ email: leads.email }).from(leads).where(eq(leads.id, suppressedLater));
    await addSuppression(db(), { workspaceId: fx.a.id, kind: "email", value: address!.email!, reason: "manual" });
    await createRunningTestCampaign(fx.a.id, rep(), admin(), [busyElsewhere]);
    expect(await runAs(launchCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });

    const batch = await withServiceTx((tx) =>
      enrollAudienceBatch(tx, { workspaceId: fx.a.id, campaignId, after: null, offset: 0, now: saturday }),
    );
    expect(batch).toMatchObject({ after: null, offset: 3, halted: null });
    const rows = await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.campaignId, campaignId));
    const byLead = new Map(rows.map((r) => [r.leadId, r]));
    expect([...byLead.keys()].sort()).toEqual([newYork, paris, unknownZone].sort());
    expect(byLead.get(newYork)!.nextSendAt).toEqual(new Date("2026-03-09T13:00:00Z"));
    expect(byLead.get(paris)!.nextSendAt).toEqual(new Date("2026-03-09T08:00:00Z"));
    expect(byLead.get(unknownZone)!.nextSendAt).toEqual(new Date("2026-03-09T08:00:00Z"));
    // Rotation in lead id order over the mailboxes in id order.
    const inOrder = [newYork, paris, unknownZone].sort().map((id) => byLead.get(id)!.identityId);
    expect(inOrder).toEqual([identityIds[0], identityIds[1], identityIds[0]]);
    expect(rows.every((r) => r.status === "active" && r.nextStep === 1 && r.generation === 1)).toBe(true);
    expect(batch.started.map((s) => s.enrollmentId).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(batch.started.every((s) => s.generation === 1 && identityIds.includes(s.identityId))).toBe(true);

    // Run again (a retry after a crash past its commit): nothing new, the same runs to start.
    const again = await withServiceTx((tx) =>
      enrollAudienceBatch(tx, { workspaceId: fx.a.id, campaignId, after: null, offset: 0, now: saturday }),
    );
    expect(again.started.map((s) => s.enrollmentId).sort()).toEqual(batch.started.map((s) => s.enrollmentId).sort());
    expect(await db().$count(campaignEnrollments, eq(campaignEnrollments.campaignId, campaignId))).toBe(3);
  });

  it("falls back to UTC when the workspace's zone is one the time zone database does not know", async () => {
    const ids = [await lead()];
    const { campaignId } = await approvedFromTwoMailboxes({ kind: "ids", ids });
    await runAs(launchCampaignAction, admin(), { campaignId });
    await db().execute(sql`update public.workspaces set time_zone = 'Mars/Olympus_Mons' where id = ${fx.a.id}`);
    try {
      const batch = await withServiceTx((tx) =>
        enrollAudienceBatch(tx, { workspaceId: fx.a.id, campaignId, after: null, offset: 0, now: saturday }),
      );
      expect(batch).toMatchObject({ offset: 1, halted: null });
      const [row] = await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.campaignId, campaignId));
      // Monday 09:00 UTC.
      expect(row!.nextSendAt).toEqual(new Date("2026-03-09T09:00:00Z"));
    } finally {
      await db().execute(sql`update public.workspaces set time_zone = 'Europe/Paris' where id = ${fx.a.id}`);
    }
  });

  it("while paused, enrolls without starting runs (the resume starts them); once stopped, halts", async () => {
    const ids = [await lead(), await lead()];
    const { campaignId } = await approvedFromTwoMailboxes({ kind: "ids", ids });
    await runAs(launchCampaignAction, admin(), { campaignId });
    await runAs(pauseCampaignAction, admin(), { campaignId, reason: "Holding" });
    const paused = await withServiceTx((tx) => enrollAudienceBatch(tx, { workspaceId: fx.a.id, campaignId, after: null, offset: 0 }));
    expect(paused).toMatchObject({ started: [], offset: 2, halted: null });
    expect(await db().$count(campaignEnrollments, eq(campaignEnrollments.campaignId, campaignId))).toBe(2);

    await db().execute(sql`update public.campaigns set status = 'stopped' where id = ${campaignId}`);
    const stopped = await withServiceTx((tx) => enrollAudienceBatch(tx, { workspaceId: fx.a.id, campaignId, after: null, offset: 0 }));
    expect(stopped).toMatchObject({ started: [], halted: "stopped" });
  });
});

describe("a campaign's pending restart", () => {
  async function pendingRestart(campaignId: string) {
    return (await db().select({ id: campaigns.pendingRestart }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]!.id;
  }
  async function setStatus(campaignId: string, status: "running" | "paused" | "completed") {
    await db().execute(sql`update public.campaigns set status = ${status} where id = ${campaignId}`);
  }

  it("is set when a launched campaign runs again, and cleared only by a resume that began after that", async () => {
    const { campaignId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [await lead()]);
    const ref = { workspaceId: fx.a.id, campaignId };
    // Launched: its launch enrolls, nothing is to restart.
    expect(await pendingRestart(campaignId)).toBeNull();
    await setStatus(campaignId, "paused");
    await setStatus(campaignId, "running");
    expect(await pendingRestart(campaignId)).not.toBeNull();

    // A resume begins; the campaign is paused (its runs cancelled) and resumed before it finishes:
    // its finish leaves the later resume's restart pending, and a failure holds the campaign.
    const first = await beginRestarting(db(), ref);
    await setStatus(campaignId, "paused");
    await setStatus(campaignId, "running");
    await finishRestarting(db(), { ...ref, restartId: first });
    expect(await pendingRestart(campaignId)).not.toBeNull();
    expect(await holdLaunch({ ...ref, why: "resume_failed" })).toEqual({ paused: true });

    // Resumed again, a resume restarts everything: the failure handled again changes nothing.
    await setStatus(campaignId, "running");
    const second = await beginRestarting(db(), ref);
    await finishRestarting(db(), { ...ref, restartId: second });
    expect(await pendingRestart(campaignId)).toBeNull();
    expect(await holdLaunch({ ...ref, why: "resume_failed" })).toEqual({ paused: false });

    // A campaign that completes has nothing left to restart.
    await setStatus(campaignId, "paused");
    await setStatus(campaignId, "running");
    await setStatus(campaignId, "completed");
    expect(await pendingRestart(campaignId)).toBeNull();
  });
});

describe("a relaunch", () => {
  it("marks the campaign enrolling in the launch's own transaction, so a launch job failing before it begins still holds the campaign", async () => {
    const { campaignId } = await createRunningTestCampaign(fx.a.id, rep(), admin(), [await lead()]);
    await db().execute(sql`update public.campaigns set enrolled_at = now() where id = ${campaignId}`);
    // Edited (back to draft), submitted and approved again: launching it again is a relaunch.
    await db().execute(sql`update public.campaign_step_variants set subject = subject || ' (v2)' where campaign_id = ${campaignId}`);
    expect((await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]!.status).toBe("draft");
    await approveTestCampaign(fx.a.id, rep(), admin(), campaignId);

    // Read inside the launch's transaction, before any job could run: the launch is pending from
    // its commit on. Were the last launch's enrolled_at kept until the job's first step, a job
    // failing before that step would leave its failure handler (holdLaunch) nothing to hold, and
    // the last enrollment ending meanwhile would complete the campaign before the new leads came.
    const rolledBack = new Error("rolled back on purpose");
    const seen = await asUser(admin(), async (tx) => {
      await launchCampaignService(tx, { userId: admin().id, workspaceId: fx.a.id, role: "admin" }, { campaignId });
      const [row] = await tx
        .select({ status: campaigns.status, enrolledAt: campaigns.enrolledAt })
        .from(campaigns)
        .where(eq(campaigns.id, campaignId));
      throw Object.assign(rolledBack, { row });
    }).catch((error: unknown) => (error === rolledBack ? (rolledBack as Error & { row: unknown }).row : Promise.reject(error)));
    expect(seen).toEqual({ status: "running", enrolledAt: null });
  });
});

describe("the launch and resume jobs (local executor)", () => {
  let executor: TestExecutor;
  beforeAll(async () => {
    executor = await startTestExecutor(
      [
        { fn: launchCampaignFunction, handler: launchCampaign },
        { fn: resumeCampaignFunction, handler: resumeCampaign },
      ],
      { poolSize: 4 },
    );
  });
  afterAll(async () => {
    await executor?.stop();
  });

  const LEADS = Number(process.env.LAUNCH_TEST_LEADS ?? 2_500);

  async function startedEvents(campaignId: string, generation: number) {
    return db()
      .select({ id: jobEvents.idempotencyKey, data: jobEvents.data })
      .from(jobEvents)
      .where(
        and(
          eq(jobEvents.name, "campaigns/enrollment.started"),
          sql`${jobEvents.data}->>'campaignId' = ${campaignId}`,
          like(jobEvents.idempotencyKey, `%-${generation}`),
        ),
      );
  }

  it(`enrolls ${LEADS.toLocaleString("en")} leads in batches of 1,000 and starts one run each; a resume starts each again at the next generation`, async () => {
    const country = `Z${randomSuffix().slice(0, 6)}`;
    await db().execute(sql`
      insert into public.leads (workspace_id, first_name, last_name, email, country)
      select ${fx.a.id}, 'Bulk', 'Lead ' || n, 'bulk-' || n || '-' || ${country} || '@example.test', ${country}
      from generate_series(1, ${LEADS}) n`);
    const { campaignId } = await approvedFromTwoMailboxes({ kind: "filter", query: `country=${country}` });

    const launchedAt = Date.now();
    expect(await runAs(launchCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
    await waitFor(
      async () => (await db().select({ at: campaigns.enrolledAt }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.at,
      {
        timeoutMs: 120_000,
        what: "the launch to finish enrolling",
      },
    );
    const took = Date.now() - launchedAt;
    const [launchRun] = await db().execute<{ id: string; status: string }>(sql`
      select r.id, r.status::text from job_runs r join job_events e on e.id = r.event_id
      where e.idempotency_key like ${`launch-${campaignId}-%`}`);
    await waitFor(
      async () =>
        (await db().execute<{ status: string }>(sql`select status::text from job_runs where id = ${launchRun!.id}`))[0]?.status ===
        "completed",
      { what: "the launch run to complete" },
    );
    const steps = await db().execute<{ step_id: string; ms: number }>(sql`
      select step_id, round(extract(epoch from (ended_at - started_at)) * 1000)::int as ms
      from job_steps where run_id = ${launchRun!.id} order by id`);
    console.info(`launch of ${LEADS} leads: enrolled in ${took} ms; steps (ms):`, steps.map((s) => `${s.step_id} ${s.ms}`).join(", "));
    expect(await db().$count(campaignEnrollments, eq(campaignEnrollments.campaignId, campaignId))).toBe(LEADS);
    const first = await startedEvents(campaignId, 1);
    expect(first).toHaveLength(LEADS);
    expect(new Set(first.map((e) => (e.data as { enrollmentId: string }).enrollmentId)).size).toBe(LEADS);
    expect((await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]!.status).toBe(
      "running",
    );

    await runAs(pauseCampaignAction, admin(), { campaignId, reason: "A look at the replies" });
    expect(await runAs(resumeCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
    await waitFor(async () => (await startedEvents(campaignId, 2)).length === LEADS, {
      timeoutMs: 60_000,
      what: "every enrollment restarted",
    });
    const generations = await db().execute<{ generation: number; n: number }>(sql`
      select generation, count(*)::int as n from public.campaign_enrollments where campaign_id = ${campaignId} group by generation`);
    expect(generations).toEqual([{ generation: 2, n: LEADS }]);
  }, 180_000);

  it("a launch whose mailboxes were all archived since pauses the campaign saying so; the resume goes on with the launch", async () => {
    const ids = [await lead(), await lead()];
    const { campaignId, identityIds } = await approvedFromTwoMailboxes({ kind: "ids", ids });
    // Launched, then every mailbox archived before the launch job's first batch ran.
    await db().execute(sql`update public.campaigns set status = 'running', launched_at = now() where id = ${campaignId}`);
    await db().execute(sql`update public.sending_identities set archived_at = now() where id in ${identityIds}`);
    const [approval] = await db().select({ id: campaigns.approvalId }).from(campaigns).where(eq(campaigns.id, campaignId));
    await sendEvent({
      name: "campaigns/launch.requested",
      data: { workspaceId: fx.a.id, campaignId, requestedBy: admin().id },
      id: `launch-${campaignId}-${approval!.id}`,
    });
    await waitFor(
      async () =>
        (await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.status === "paused",
      { timeoutMs: 20_000, what: "the campaign to pause itself" },
    );
    const [row] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(row).toMatchObject({ pauseReason: LAUNCH_HELD_REASONS.no_identity, pausedBy: null, enrolledAt: null });

    await db().execute(sql`update public.sending_identities set archived_at = null where id in ${identityIds}`);
    expect(await runAs(resumeCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
    await waitFor(async () => (await startedEvents(campaignId, 1)).length === 2, { timeoutMs: 20_000, what: "the launch to go on" });
  });

  it("a launch that fails for good pauses the campaign saying so, audited, admins told; the resume enrolls everyone once", async () => {
    const ids = [await lead(), await lead(), await lead()];
    const { campaignId } = await approvedFromTwoMailboxes({ kind: "ids", ids });
    // The database refuses this campaign's enrollments (as an outage would) until the trigger goes.
    const refuse = `refuse_enrollments_${randomSuffix().replace(/[^a-z0-9]/g, "")}`;
    await db().execute(
      sql.raw(`create function public.${refuse}() returns trigger language plpgsql as $$
        begin raise exception 'enrollments are refused for this test'; end $$`),
    );
    await db().execute(
      sql.raw(`create trigger ${refuse} before insert on public.campaign_enrollments
        for each row when (new.campaign_id = '${campaignId}') execute function public.${refuse}()`),
    );
    try {
      expect(await runAs(launchCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
      await waitFor(
        async () =>
          (await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.status === "paused",
        { timeoutMs: 30_000, what: "the failed launch to pause the campaign" },
      );
    } finally {
      await db().execute(sql.raw(`drop trigger if exists ${refuse} on public.campaign_enrollments`));
      await db().execute(sql.raw(`drop function if exists public.${refuse}()`));
    }
    const [row] = await db().select().from(campaigns).where(eq(campaigns.id, campaignId));
    expect(row).toMatchObject({ pauseReason: LAUNCH_HELD_REASONS.launch_failed, pausedBy: null, enrolledAt: null });
    const audits = await db()
      .select({ actorId: auditLog.actorId, metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, campaignId), eq(auditLog.action, "campaign.auto_paused")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: null, metadata: { reason: LAUNCH_HELD_REASONS.launch_failed, cause: "launch_failed" } });
    // The launch's last error, for whoever looks into it (the job run has it whole).
    expect((audits[0]!.metadata as { error?: string }).error).toMatch(/\S/);
    const told = await db()
      .select({ userId: notifications.userId, link: notifications.link })
      .from(notifications)
      .where(and(eq(notifications.subjectId, campaignId), eq(notifications.kind, "campaign_auto_paused")));
    expect(told).toEqual([{ userId: admin().id, link: `/campaigns/${campaignId}` }]);
    expect(await db().$count(campaignEnrollments, eq(campaignEnrollments.campaignId, campaignId))).toBe(0);

    expect(await runAs(resumeCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
    await waitFor(
      async () => (await db().select({ at: campaigns.enrolledAt }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.at,
      { timeoutMs: 30_000, what: "the launch asked again by the resume to finish enrolling" },
    );
    expect(await db().$count(campaignEnrollments, eq(campaignEnrollments.campaignId, campaignId))).toBe(3);
    await waitFor(async () => (await startedEvents(campaignId, 1)).length === 3, { timeoutMs: 20_000, what: "one run per lead" });
    expect((await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]!.status).toBe(
      "running",
    );

    // An admin replays the old failure's handler from the Jobs page: the launch it was about has
    // enrolled everyone since, so the running campaign is not paused again.
    await replayFailureHandler("launch-campaign-failure", campaignId);
    const [after] = await db()
      .select({ status: campaigns.status, pauseReason: campaigns.pauseReason })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId));
    expect(after).toEqual({ status: "running", pauseReason: null });
  });

  it("a resume that fails for good pauses the campaign again saying so, admins told; the next resume restarts every enrollment", async () => {
    const leads = [await lead(), await lead()];
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), leads);
    await runAs(pauseCampaignAction, admin(), { campaignId: run.campaignId, reason: "A look at the list" });
    // The database refuses to restart this campaign's enrollments (as an outage would) until the trigger goes.
    const refuse = `refuse_restarts_${randomSuffix().replace(/[^a-z0-9]/g, "")}`;
    await db().execute(
      sql.raw(`create function public.${refuse}() returns trigger language plpgsql as $$
        begin raise exception 'restarts are refused for this test'; end $$`),
    );
    await db().execute(
      sql.raw(`create trigger ${refuse} before update on public.campaign_enrollments
        for each row when (new.campaign_id = '${run.campaignId}') execute function public.${refuse}()`),
    );
    try {
      expect(await runAs(resumeCampaignAction, admin(), { campaignId: run.campaignId })).toMatchObject({ ok: true });
      await waitFor(
        async () =>
          (await db().select({ reason: campaigns.pauseReason }).from(campaigns).where(eq(campaigns.id, run.campaignId)))[0]?.reason ===
          LAUNCH_HELD_REASONS.resume_failed,
        { timeoutMs: 30_000, what: "the failed resume to pause the campaign" },
      );
    } finally {
      await db().execute(sql.raw(`drop trigger if exists ${refuse} on public.campaign_enrollments`));
      await db().execute(sql.raw(`drop function if exists public.${refuse}()`));
    }
    const [row] = await db().select().from(campaigns).where(eq(campaigns.id, run.campaignId));
    expect(row).toMatchObject({ status: "paused", pausedBy: null });
    const told = await db()
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(and(eq(notifications.subjectId, run.campaignId), eq(notifications.kind, "campaign_auto_paused")));
    expect(told).toEqual([{ userId: admin().id }]);

    expect(await runAs(resumeCampaignAction, admin(), { campaignId: run.campaignId })).toMatchObject({ ok: true });
    await waitFor(async () => (await startedEvents(run.campaignId, 2)).length === 2, {
      timeoutMs: 20_000,
      what: "every enrollment restarted",
    });
    await waitFor(
      async () =>
        (
          await db()
            .select({ id: jobRuns.id })
            .from(jobRuns)
            .innerJoin(jobEvents, eq(jobEvents.id, jobRuns.eventId))
            .where(
              and(
                eq(jobRuns.functionId, "resume-campaign"),
                eq(jobRuns.status, "completed"),
                sql`${jobEvents.data}->>'campaignId' = ${run.campaignId}`,
              ),
            )
        ).length === 1,
      { timeoutMs: 20_000, what: "the second resume to finish" },
    );

    // An admin replays the first resume's failure handler from the Jobs page: the second resume
    // has restarted every enrollment since, so the running campaign is not paused again.
    await replayFailureHandler("resume-campaign-failure", run.campaignId);
    const [after] = await db()
      .select({ status: campaigns.status, pauseReason: campaigns.pauseReason })
      .from(campaigns)
      .where(eq(campaigns.id, run.campaignId));
    expect(after).toEqual({ status: "running", pauseReason: null });
    expect(await db().$count(auditLog, and(eq(auditLog.targetId, run.campaignId), eq(auditLog.action, "campaign.auto_paused")))).toBe(1);
    expect(
      await db().$count(notifications, and(eq(notifications.subjectId, run.campaignId), eq(notifications.kind, "campaign_auto_paused"))),
    ).toBe(1);
  });

  it("an enrollment whose mailbox was taken off the campaign and deleted moves to the campaign's other mailbox when it is launched again", async () => {
    const ids = [await lead(), await lead(), await lead(), await lead()];
    const { campaignId, identityIds } = await approvedFromTwoMailboxes({ kind: "ids", ids });
    expect(await runAs(launchCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
    await waitFor(async () => (await startedEvents(campaignId, 1)).length === 4, { timeoutMs: 20_000, what: "the launch" });
    const [gone, kept] = identityIds as [string, string];
    const onGone = (await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.campaignId, campaignId)))
      .filter((e) => e.identityId === gone)
      .map((e) => e.id)
      .sort();
    expect(onGone).toHaveLength(2);

    // The team takes the mailbox off the campaign (an edit: back to draft) and deletes it.
    await db().execute(sql`delete from public.campaign_identities where campaign_id = ${campaignId} and identity_id = ${gone}`);
    expect((await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]!.status).toBe("draft");
    await asUser(admin(), (tx) => deleteSendingIdentity(tx, { workspaceId: fx.a.id, userId: admin().id, role: "admin" }, gone));
    const orphaned = await db().select().from(campaignEnrollments).where(inArray(campaignEnrollments.id, onGone));
    expect(orphaned.map((e) => [e.status, e.identityId])).toEqual([
      ["active", null],
      ["active", null],
    ]);

    // Approved again and launched again: every active enrollment restarts, the orphans on the mailbox left.
    await approveTestCampaign(fx.a.id, rep(), admin(), campaignId);
    expect(await runAs(launchCampaignAction, admin(), { campaignId })).toMatchObject({ ok: true });
    await waitFor(async () => (await startedEvents(campaignId, 2)).length === 4, { timeoutMs: 20_000, what: "every enrollment restarted" });
    const moved = await db().select().from(campaignEnrollments).where(inArray(campaignEnrollments.id, onGone));
    expect(moved.map((e) => [e.status, e.identityId, e.generation])).toEqual([
      ["active", kept, 2],
      ["active", kept, 2],
    ]);
    const restarted = (await startedEvents(campaignId, 2)).map((e) => e.data as { enrollmentId: string; identityId: string });
    expect(restarted.filter((e) => onGone.includes(e.enrollmentId)).map((e) => e.identityId)).toEqual([kept, kept]);
  });

  it("an enrollment left without a mailbox and none to move to ends, saying so, and the campaign completes", async () => {
    const only = await lead();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [only]);
    // Its mailbox gone (the foreign key sets null) and the campaign's only other one archived.
    await db().execute(sql`update public.campaign_enrollments set identity_id = null where id = ${run.enrollmentIds[0]!}`);
    await db().execute(sql`update public.sending_identities set archived_at = now() where id = ${run.identityId}`);
    await sendEvent({
      name: "campaigns/resume.requested",
      data: { workspaceId: fx.a.id, campaignId: run.campaignId, requestedBy: admin().id },
      id: `resume-${run.campaignId}-${randomSuffix()}`,
    });
    await waitFor(
      async () =>
        (await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, run.campaignId)))[0]?.status ===
        "completed",
      { timeoutMs: 20_000, what: "the campaign to complete" },
    );
    const [ended] = await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.id, run.enrollmentIds[0]!));
    expect(ended).toMatchObject({ status: "stopped", endCause: "no_identity", stopReason: NO_IDENTITY_LEFT_REASON, nextSendAt: null });
  });

  it("an audience its exclusions leave empty completes at once", async () => {
    const gone = await lead();
    const { campaignId } = await approvedFromTwoMailboxes({ kind: "ids", ids: [gone] });
    // Bounced since the approval (whose pre-flight refuses an audience nobody in it can be emailed).
    await db().execute(sql`update public.leads set status = 'bounced' where id = ${gone}`);
    await runAs(launchCampaignAction, admin(), { campaignId });
    await waitFor(
      async () =>
        (await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.status === "completed",
      { timeoutMs: 20_000, what: "the campaign to complete" },
    );
  });
});
