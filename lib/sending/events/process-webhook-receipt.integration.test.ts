import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaignEnrollments, emailEvents, emailMessages, leadActivities, leads, suppressions } from "@/db/schema";
import { localFunctions } from "@/inngest";
import { runReaching, startTestExecutor, waitFor } from "@/lib/jobs/testing/harness";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage, type SentTestMessage } from "@/tests/fixtures/sent-message";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { deliverResendEvent } from "@/tests/fixtures/webhook-delivery";
import { processWebhookReceipt } from "./process-webhook-receipt";

let fx: TenancyFixture;
let campaign: Awaited<ReturnType<typeof createRunningTestCampaign>>;
let other: Awaited<ReturnType<typeof createRunningTestCampaign>>;

beforeAll(async () => {
  fx = await createTenancyFixture();
  campaign = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
  other = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
});
afterAll(() => removeTenancyFixture(fx));

type Sent = SentTestMessage & { leadId: string; enrollmentId: string; email: string };

/** A lead of workspace A enrolled in the campaign (and in `other` when asked), with step 1 sent to it. */
async function sentLead({ alsoIn }: { alsoIn?: typeof other } = {}): Promise<Sent> {
  const email = `lead-${randomSuffix()}@client.example`;
  const leadId = await insertTestLead(fx.a, { email, status: "contacted", ownerId: fx.a.members.sales_rep.id });
  const enroll = async (c: typeof campaign) => {
    const [row] = await serviceDb()
      .insert(campaignEnrollments)
      .values({ workspaceId: fx.a.id, campaignId: c.campaignId, leadId, identityId: c.identityId, nextSendAt: new Date() })
      .returning({ id: campaignEnrollments.id });
    return row!.id;
  };
  const enrollmentId = await enroll(campaign);
  if (alsoIn) await enroll(alsoIn);
  const message = await insertSentTestMessage({
    workspaceId: fx.a.id,
    campaignId: campaign.campaignId,
    enrollmentId,
    leadId,
    stepId: campaign.stepId,
    identityId: campaign.identityId,
    toEmail: email,
  });
  return { ...message, leadId, enrollmentId, email };
}

const tagsOf = (m: Sent, workspaceId = fx.a.id) => ({ workspace_id: workspaceId, campaign_id: campaign.campaignId, message_id: m.id });

async function deliverAndProcess(type: string, data: Record<string, unknown>) {
  return processWebhookReceipt(await deliverResendEvent(type, data));
}

const messageRow = async (id: string) => (await serviceDb().select().from(emailMessages).where(eq(emailMessages.id, id)))[0]!;
const leadRow = async (id: string) => (await serviceDb().select().from(leads).where(eq(leads.id, id)))[0]!;
const timeline = async (leadId: string) =>
  (await serviceDb().select().from(leadActivities).where(eq(leadActivities.leadId, leadId)).orderBy(leadActivities.createdAt)).map(
    (a) => a.type,
  );
const eventsOf = async (messageId: string) =>
  (await serviceDb().select().from(emailEvents).where(eq(emailEvents.messageId, messageId))).map((e) => e.type).sort();
const enrollmentsOf = (leadId: string) =>
  serviceDb()
    .select({ campaignId: campaignEnrollments.campaignId, status: campaignEnrollments.status, endCause: campaignEnrollments.endCause })
    .from(campaignEnrollments)
    .where(eq(campaignEnrollments.leadId, leadId));
const suppressionsOf = (workspaceId: string, value: string) =>
  serviceDb()
    .select({ reason: suppressions.reason })
    .from(suppressions)
    .where(and(eq(suppressions.workspaceId, workspaceId), eq(suppressions.value, value)));

describe("processing Resend events", () => {
  it("records delivered, opened and clicked once each on the funnel, and the first open and click on the timeline", async () => {
    const m = await sentLead();
    const base = { email_id: m.providerId, tags: tagsOf(m) };
    expect(await deliverAndProcess("email.sent", base)).toEqual({ outcome: "sent: recorded" });
    await deliverAndProcess("email.delivered", base);
    await deliverAndProcess("email.opened", base);
    await deliverAndProcess("email.opened", base);
    await deliverAndProcess("email.clicked", { ...base, click: { link: "https://acme.example/offer", ipAddress: "1.2.3.4" } });
    const row = await messageRow(m.id);
    expect(row.deliveredAt).toBeInstanceOf(Date);
    expect(row.openedAt).toBeInstanceOf(Date);
    expect(row.clickedAt).toBeInstanceOf(Date);
    expect(await eventsOf(m.id)).toEqual(["clicked", "delivered", "opened", "opened", "sent"]);
    expect(await timeline(m.leadId)).toEqual(["email_opened", "email_clicked"]);
    expect((await leadRow(m.leadId)).status).toBe("contacted");
  });

  it("reads tags given as an array of {name, value}, and finds an untagged event by Resend's email id", async () => {
    const m = await sentLead();
    const asArray = Object.entries(tagsOf(m)).map(([name, value]) => ({ name, value }));
    expect(await deliverAndProcess("email.delivered", { email_id: m.providerId, tags: asArray })).toEqual({ outcome: "delivered" });
    expect(await deliverAndProcess("email.opened", { email_id: m.providerId })).toEqual({ outcome: "opened" });
    expect(await eventsOf(m.id)).toEqual(["delivered", "opened"]);
  });

  it("on a hard bounce marks the lead bounced, suppresses the address and ends its enrollments in every campaign", async () => {
    const m = await sentLead({ alsoIn: other });
    const outcome = await deliverAndProcess("email.bounced", {
      email_id: m.providerId,
      tags: tagsOf(m),
      bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 mailbox unavailable" },
    });
    expect(outcome).toEqual({
      outcome: "hard bounce: lead bounced, address suppressed, enrollments ended",
      breakerCheck: { workspaceId: fx.a.id, campaignId: campaign.campaignId },
    });
    const row = await messageRow(m.id);
    expect(row).toMatchObject({ bounceType: "hard", bouncedAt: expect.any(Date) });
    expect(await leadRow(m.leadId)).toMatchObject({ status: "bounced", emailStatus: "invalid" });
    expect(await timeline(m.leadId)).toEqual(["email_bounced", "status_changed"]);
    expect(await suppressionsOf(fx.a.id, m.email)).toEqual([{ reason: "bounce" }]);
    const enrollments = await enrollmentsOf(m.leadId);
    expect(enrollments).toHaveLength(2);
    for (const e of enrollments) expect(e).toMatchObject({ status: "stopped", endCause: "bounced" });
    const ended = await serviceDb().execute(
      sql`select 1 from public.job_events where name = 'campaigns/enrollment.ended' and data->>'enrollmentId' = ${m.enrollmentId}`,
    );
    expect(ended).toHaveLength(1);
  });

  it("records as sent an email failed for want of the provider's answer, once the provider reports on it", async () => {
    const m = await sentLead();
    // What failUnknown leaves (lib/sending/send/claim-step.ts): no provider id, failed, the outcome unknown.
    await serviceDb()
      .update(emailMessages)
      .set({ status: "failed", providerId: null, sentAt: null, reason: "The email provider did not answer.", errorCode: "unknown_outcome" })
      .where(eq(emailMessages.id, m.id));
    expect(await deliverAndProcess("email.delivered", { email_id: m.providerId, tags: tagsOf(m) })).toEqual({ outcome: "delivered" });
    expect(await messageRow(m.id)).toMatchObject({
      status: "sent",
      providerId: m.providerId,
      sentAt: expect.any(Date),
      deliveredAt: expect.any(Date),
      reason: null,
      errorCode: null,
    });
    // A message failed by the provider's own refusal hears nothing more, and a failure it never took stays one.
    const refused = await sentLead();
    await serviceDb()
      .update(emailMessages)
      .set({ status: "failed", providerId: null, sentAt: null, reason: "The email provider refused it." })
      .where(eq(emailMessages.id, refused.id));
    await deliverAndProcess("email.failed", { email_id: refused.providerId, tags: tagsOf(refused) });
    expect(await messageRow(refused.id)).toMatchObject({ status: "failed", providerId: null });
  });

  it("treats a soft bounce and a delayed delivery as delays only", async () => {
    const m = await sentLead();
    expect(
      await deliverAndProcess("email.bounced", {
        email_id: m.providerId,
        tags: tagsOf(m),
        bounce: { type: "Transient", subType: "MailboxFull" },
      }),
    ).toEqual({ outcome: "soft bounce: recorded as delivery delayed" });
    await deliverAndProcess("email.delivery_delayed", { email_id: m.providerId, tags: tagsOf(m) });
    expect(await eventsOf(m.id)).toEqual(["delivery_delayed", "delivery_delayed"]);
    expect((await messageRow(m.id)).bouncedAt).toBeNull();
    expect((await leadRow(m.leadId)).status).toBe("contacted");
    expect(await suppressionsOf(fx.a.id, m.email)).toEqual([]);
    expect(await enrollmentsOf(m.leadId)).toEqual([{ campaignId: campaign.campaignId, status: "active", endCause: null }]);
  });

  it("when the provider refuses the address (its suppression list) ends it like a hard bounce, without the breaker or calling it invalid", async () => {
    // Every later step to the address would be refused the same way; nothing reached a mail server.
    const m = await sentLead({ alsoIn: other });
    const outcome = await deliverAndProcess("email.suppressed", {
      email_id: m.providerId,
      tags: tagsOf(m),
      suppressed: { type: "OnAccountSuppressionList", message: "Recipient is on the account suppression list" },
    });
    expect(outcome).toEqual({ outcome: "suppressed by the provider: lead bounced, address suppressed, enrollments ended" });
    expect(await eventsOf(m.id)).toEqual(["suppressed"]);
    expect((await messageRow(m.id)).bouncedAt).toBeNull();
    expect(await leadRow(m.leadId)).toMatchObject({ status: "bounced", emailStatus: "unknown" });
    expect(await timeline(m.leadId)).toEqual(["email_bounced", "status_changed"]);
    expect(await suppressionsOf(fx.a.id, m.email)).toEqual([{ reason: "bounce" }]);
    const enrollments = await enrollmentsOf(m.leadId);
    expect(enrollments).toHaveLength(2);
    for (const e of enrollments) expect(e).toMatchObject({ status: "stopped", endCause: "bounced" });
  });

  it("when the provider could not send an email it took, fails it with the provider's words and stops that sequence only", async () => {
    // Resend's email.failed: the email never left (its limits, the sending domain); the next step
    // would follow up an email the lead never got. The address is not at fault.
    const m = await sentLead({ alsoIn: other });
    const outcome = await deliverAndProcess("email.failed", {
      email_id: m.providerId,
      tags: tagsOf(m),
      failed: { reason: "reached_daily_quota" },
    });
    expect(outcome).toEqual({ outcome: "failed at the provider: message failed, its sequence stopped" });
    expect(await eventsOf(m.id)).toEqual(["failed"]);
    expect(await messageRow(m.id)).toMatchObject({
      status: "failed",
      errorCode: "provider_failed",
      reason: "The email provider could not send it: reached_daily_quota",
    });
    expect(await leadRow(m.leadId)).toMatchObject({ status: "contacted", emailStatus: "unknown" });
    expect(await suppressionsOf(fx.a.id, m.email)).toEqual([]);
    const enrollments = await enrollmentsOf(m.leadId);
    expect(enrollments).toEqual(
      expect.arrayContaining([
        { campaignId: campaign.campaignId, status: "stopped", endCause: "provider_rejected" },
        { campaignId: other.campaignId, status: "active", endCause: null },
      ]),
    );
    // Told again (a retried delivery with another id): nothing more changes.
    expect(await deliverAndProcess("email.failed", { email_id: m.providerId, tags: tagsOf(m) })).toEqual({ outcome: "failed: recorded" });
  });

  it("on a complaint unsubscribes the lead, suppresses the address and ends its enrollments", async () => {
    const m = await sentLead();
    const outcome = await deliverAndProcess("email.complained", { email_id: m.providerId, tags: tagsOf(m) });
    expect(outcome.outcome).toMatch(/^complaint/);
    expect((await messageRow(m.id)).complainedAt).toBeInstanceOf(Date);
    expect((await leadRow(m.leadId)).status).toBe("unsubscribed");
    expect(await timeline(m.leadId)).toEqual(["email_complained", "status_changed"]);
    expect(await suppressionsOf(fx.a.id, m.email)).toEqual([{ reason: "complaint" }]);
    expect(await enrollmentsOf(m.leadId)).toEqual([{ campaignId: campaign.campaignId, status: "stopped", endCause: "complained" }]);
  });

  it("records an event for an unknown message without acting on it", async () => {
    const deliveryId = `msg_${randomUUID()}`;
    const receiptId = await deliverResendEvent(
      "email.bounced",
      { email_id: randomUUID(), tags: { workspace_id: fx.a.id, message_id: randomUUID() }, bounce: { type: "Permanent" } },
      deliveryId,
    );
    expect(await processWebhookReceipt(receiptId)).toEqual({ outcome: "unknown message (no campaign message has this id): ignored" });
    const [receipt] = await serviceDb().execute<{ processed: boolean; outcome: string }>(
      sql`select processed_at is not null as processed, outcome from private.webhook_receipts where id = ${receiptId}`,
    );
    expect(receipt).toEqual({ processed: true, outcome: expect.stringMatching(/^unknown message/) });
    // Noted, without a message, in the history of the workspace its tags name; nothing else.
    const noted = await serviceDb().select().from(emailEvents).where(eq(emailEvents.providerEventId, deliveryId));
    expect(noted).toMatchObject([{ workspaceId: fx.a.id, messageId: null, type: "bounced" }]);
  });

  it("notes nothing for mail that is no campaign's (a notification, a test send)", async () => {
    const deliveryId = `msg_${randomUUID()}`;
    await processWebhookReceipt(
      await deliverResendEvent("email.delivered", { email_id: randomUUID(), tags: { workspace_id: fx.a.id, kind: "product" } }, deliveryId),
    );
    expect(await serviceDb().select().from(emailEvents).where(eq(emailEvents.providerEventId, deliveryId))).toEqual([]);
  });

  it("ignores event types that are not about an email", async () => {
    const receiptId = await deliverResendEvent("domain.updated", { id: randomUUID(), name: "acme.example" });
    expect(await processWebhookReceipt(receiptId)).toEqual({ outcome: "domain.updated: not an email event, ignored" });
  });

  it("applies a delivery once, however often its job runs", async () => {
    const m = await sentLead();
    const receiptId = await deliverResendEvent("email.bounced", { email_id: m.providerId, tags: tagsOf(m), bounce: { type: "Permanent" } });
    const first = await processWebhookReceipt(receiptId);
    const again = await Promise.all([processWebhookReceipt(receiptId), processWebhookReceipt(receiptId)]);
    // Each run finds it done, and still names the campaign whose breaker to check (a retry after
    // the commit must not skip it).
    expect(again).toEqual([first, first]);
    expect(first.breakerCheck).toEqual({ workspaceId: fx.a.id, campaignId: campaign.campaignId });
    expect(await timeline(m.leadId)).toEqual(["email_bounced", "status_changed"]);
    expect(await eventsOf(m.id)).toEqual(["bounced"]);
  });
});

describe("cross-tenant deliveries", () => {
  it("a message of workspace A with tags claiming workspace B touches neither", async () => {
    const m = await sentLead();
    const bLead = await insertTestLead(fx.b, { email: m.email, status: "contacted" });
    const outcome = await deliverAndProcess("email.bounced", {
      email_id: m.providerId,
      tags: tagsOf(m, fx.b.id),
      bounce: { type: "Permanent" },
    });
    expect(outcome).toEqual({ outcome: "unknown message (its tags name another workspace than the message's): ignored" });
    expect((await leadRow(bLead)).status).toBe("contacted");
    expect((await leadRow(m.leadId)).status).toBe("contacted");
    expect(await suppressionsOf(fx.b.id, m.email)).toEqual([]);
    expect(await suppressionsOf(fx.a.id, m.email)).toEqual([]);
    const eventsInB = await serviceDb().select().from(emailEvents).where(eq(emailEvents.workspaceId, fx.b.id));
    expect(eventsInB).toEqual([]);
    expect(await eventsOf(m.id)).toEqual([]);
  });

  it("a tag naming one message with another message's email id is ignored", async () => {
    const target = await sentLead();
    const decoy = await sentLead();
    const outcome = await deliverAndProcess("email.complained", { email_id: decoy.providerId, tags: { message_id: target.id } });
    expect(outcome.outcome).toMatch(/^unknown message/);
    expect((await leadRow(target.leadId)).status).toBe("contacted");
    expect((await leadRow(decoy.leadId)).status).toBe("contacted");
  });
});

describe("the process-resend-webhook function", () => {
  it("runs from the route's event on the local executor", async () => {
    const m = await sentLead();
    const executor = await startTestExecutor(localFunctions.filter((f) => f.fn.id() === "process-resend-webhook"));
    try {
      const receiptId = await deliverResendEvent("email.delivered", { email_id: m.providerId, tags: tagsOf(m) });
      const [event] = await serviceDb().execute<{ id: string }>(
        sql`select id from public.job_events where name = 'email/resend-webhook.received' and data->>'receiptId' = ${receiptId}`,
      );
      const run = await runReaching(event!.id, ["completed"]);
      expect(run.output).toEqual({ outcome: "delivered" });
      await waitFor(async () => (await messageRow(m.id)).deliveredAt, { what: "delivered_at" });
    } finally {
      await executor.stop();
    }
  });
});
