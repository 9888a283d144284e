import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { auditLog, campaignEnrollments, campaigns, jobEvents } from "@/db/schema";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { completeCampaignIfDone } from "./complete-campaign";
import { campaignsOf, endEnrollments } from "./end-enrollments";

let fx: TenancyFixture;
const db = () => serviceDb();
const rep = () => fx.a.members.sales_rep;
const admin = () => fx.a.members.admin;

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

async function enrollment(id: string) {
  const [row] = await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.id, id));
  return row!;
}
async function campaignStatus(id: string) {
  const [row] = await db()
    .select({ status: campaigns.status, finishedAt: campaigns.finishedAt })
    .from(campaigns)
    .where(eq(campaigns.id, id));
  return row!;
}
async function endedEvents(enrollmentIds: string[]) {
  return db()
    .select({ name: jobEvents.name, data: jobEvents.data })
    .from(jobEvents)
    .where(
      inArray(
        jobEvents.idempotencyKey,
        enrollmentIds.map((id) => `enrollment-ended-${id}`),
      ),
    );
}
/** Two leads a campaign may email (approval runs pre-flight, which needs one). */
async function twoLeads() {
  const lead = () => insertTestLead(fx.a, { email: `end-${randomSuffix()}@leads.example` });
  return [await lead(), await lead()];
}

describe("endEnrollments", () => {
  it("ends a lead's active enrollments in every campaign with the cause and words, announces each, and leaves the others", async () => {
    const [lead, other] = await twoLeads();
    // The campaign of the lead alone runs first: approved then, the other's pre-flight finds it
    // active there, and passes for the other lead.
    const second = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!]);
    const first = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!, other!]);

    const ended = await endEnrollments(db(), { workspaceId: fx.a.id, leadId: lead!, cause: "replied", reason: "Replied to step 1" });

    expect(ended.map((e) => e.id).sort()).toEqual([first.enrollmentIds[0]!, second.enrollmentIds[0]!].sort());
    const row = await enrollment(first.enrollmentIds[0]!);
    expect(row).toMatchObject({ status: "stopped", endCause: "replied", stopReason: "Replied to step 1", nextSendAt: null });
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect((await enrollment(first.enrollmentIds[1]!)).status).toBe("active");
    const events = await endedEvents(ended.map((e) => e.id));
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.name)).toEqual(["campaigns/enrollment.ended", "campaigns/enrollment.ended"]);
    expect(events.map((e) => e.data)).toContainEqual({
      workspaceId: fx.a.id,
      campaignId: first.campaignId,
      enrollmentId: first.enrollmentIds[0],
    });
  });

  it("keeps the first cause: an enrollment already ended is not ended again", async () => {
    const [lead] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!]);
    await endEnrollments(db(), { workspaceId: fx.a.id, enrollmentId: run.enrollmentIds[0]!, cause: "replied", reason: "Replied" });
    const again = await endEnrollments(db(), { workspaceId: fx.a.id, leadId: lead!, cause: "unsubscribed", reason: "Unsubscribed" });
    expect(again).toEqual([]);
    expect(await enrollment(run.enrollmentIds[0]!)).toMatchObject({ endCause: "replied", stopReason: "Replied" });
  });

  it("never reaches into another workspace", async () => {
    const [lead] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!]);
    const ended = await endEnrollments(db(), { workspaceId: fx.b.id, leadId: lead!, cause: "bounced", reason: "Bounced" });
    expect(ended).toEqual([]);
    expect((await enrollment(run.enrollmentIds[0]!)).status).toBe("active");
  });

  it("refuses to run without naming whose enrollments end", async () => {
    await expect(endEnrollments(db(), { workspaceId: fx.a.id, cause: "bounced", reason: "Bounced" })).rejects.toThrow(/name a lead/);
  });

  it("on the pool, completes the campaign whose last active enrollment it ended", async () => {
    const [lead, other] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!, other!]);
    await endEnrollments(db(), { workspaceId: fx.a.id, leadId: lead!, cause: "replied", reason: "Replied" });
    expect((await campaignStatus(run.campaignId)).status).toBe("running");
    await endEnrollments(db(), { workspaceId: fx.a.id, leadId: other!, cause: "unsubscribed", reason: "Unsubscribed" });
    const done = await campaignStatus(run.campaignId);
    expect(done.status).toBe("completed");
    expect(done.finishedAt).toBeInstanceOf(Date);
  });

  it("inside a transaction, announces only if it commits and leaves completion to the caller after the commit", async () => {
    const [lead] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!]);
    await db()
      .transaction(async (tx) => {
        await endEnrollments(tx, { workspaceId: fx.a.id, leadId: lead!, cause: "bounced", reason: "Bounced" });
        tx.rollback();
      })
      .catch(() => {});
    expect((await enrollment(run.enrollmentIds[0]!)).status).toBe("active");
    expect(await endedEvents(run.enrollmentIds)).toEqual([]);

    const ended = await db().transaction((tx) =>
      endEnrollments(tx, { workspaceId: fx.a.id, leadId: lead!, cause: "bounced", reason: "Bounced" }),
    );
    expect(await endedEvents(run.enrollmentIds)).toHaveLength(1);
    expect((await campaignStatus(run.campaignId)).status).toBe("running");
    for (const campaignId of campaignsOf(ended)) await completeCampaignIfDone(db(), campaignId);
    expect((await campaignStatus(run.campaignId)).status).toBe("completed");
  });

  it("in withServiceTx, announces and completes after the commit, and not at all after a rollback", async () => {
    const [lead] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!]);
    await withServiceTx(async (tx) => {
      await endEnrollments(tx, { workspaceId: fx.a.id, leadId: lead!, cause: "complained", reason: "Complained" });
      throw new Error("rolled back");
    }).catch(() => {});
    expect(await endedEvents(run.enrollmentIds)).toEqual([]);
    expect((await campaignStatus(run.campaignId)).status).toBe("running");

    await withServiceTx(async (tx) => {
      await endEnrollments(tx, { workspaceId: fx.a.id, leadId: lead!, cause: "complained", reason: "Complained" });
      // Nothing is announced before the commit.
      expect(await endedEvents(run.enrollmentIds)).toEqual([]);
    });
    expect(await endedEvents(run.enrollmentIds)).toHaveLength(1);
    expect((await campaignStatus(run.campaignId)).status).toBe("completed");
  });

  it("a campaign stop ends every active enrollment of the campaign without one event each", async () => {
    const [lead, other] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!, other!]);
    const ended = await endEnrollments(db(), {
      workspaceId: fx.a.id,
      campaignId: run.campaignId,
      cause: "campaign_stopped",
      reason: "Campaign stopped",
      emit: false,
    });
    expect(ended).toHaveLength(2);
    expect(await endedEvents(run.enrollmentIds)).toEqual([]);
  });
});

describe("completeCampaignIfDone", () => {
  it("waits for the launch to finish enrolling, completes once, and audits it", async () => {
    const [lead] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!], { enrolled: false });
    await db().update(campaignEnrollments).set({ status: "completed" }).where(eq(campaignEnrollments.campaignId, run.campaignId));

    expect(await completeCampaignIfDone(db(), run.campaignId)).toBe(false);
    expect((await campaignStatus(run.campaignId)).status).toBe("running");

    await db().update(campaigns).set({ enrolledAt: new Date() }).where(eq(campaigns.id, run.campaignId));
    expect(await completeCampaignIfDone(db(), run.campaignId)).toBe(true);
    expect(await completeCampaignIfDone(db(), run.campaignId)).toBe(false);
    expect((await campaignStatus(run.campaignId)).status).toBe("completed");
    const audits = await db()
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, run.campaignId), eq(auditLog.action, "campaign.completed")));
    expect(audits).toEqual([{ action: "campaign.completed", actorId: null }]);
  });

  it("leaves a campaign with an active enrollment, a paused one that is done completes, a stopped one stays stopped", async () => {
    const [lead, other] = await twoLeads();
    const active = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!]);
    expect(await completeCampaignIfDone(db(), active.campaignId)).toBe(false);

    const paused = await createRunningTestCampaign(fx.a.id, rep(), admin(), [other!]);
    await db().execute(sql`update public.campaigns set status = 'paused' where id = ${paused.campaignId}`);
    await db().update(campaignEnrollments).set({ status: "completed" }).where(eq(campaignEnrollments.campaignId, paused.campaignId));
    expect(await completeCampaignIfDone(db(), paused.campaignId)).toBe(true);

    const stopped = await createRunningTestCampaign(fx.a.id, rep(), admin(), []);
    await db().execute(sql`update public.campaigns set status = 'stopped' where id = ${stopped.campaignId}`);
    expect(await completeCampaignIfDone(db(), stopped.campaignId)).toBe(false);
    expect((await campaignStatus(stopped.campaignId)).status).toBe("stopped");
  });

  it("two sequences ending the last two enrollments at once: the campaign completes", async () => {
    const [lead, other] = await twoLeads();
    const run = await createRunningTestCampaign(fx.a.id, rep(), admin(), [lead!, other!]);
    await Promise.all(
      [lead!, other!].map(async (leadId) => {
        const ended = await db().transaction(async (tx) => {
          const result = await endEnrollments(tx, { workspaceId: fx.a.id, leadId, cause: "replied", reason: "Replied" });
          await tx.execute(sql`select pg_sleep(0.2)`);
          return result;
        });
        for (const campaignId of campaignsOf(ended)) await completeCampaignIfDone(db(), campaignId);
      }),
    );
    expect((await campaignStatus(run.campaignId)).status).toBe("completed");
  });
});
