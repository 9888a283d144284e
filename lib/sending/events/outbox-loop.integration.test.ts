import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaignEnrollments, emailMessages, emailReplies, leadActivities, leads, suppressions } from "@/db/schema";
import { handleLocalResendRequest } from "@/lib/outbox/resend-endpoint";
import { simulateOutboxEvent } from "@/lib/outbox/simulate-outbox-event";
import { deliverDueWebhooks } from "@/lib/outbox/webhook-delivery";
import { sendNextStep } from "@/lib/sending/send/send-next-step";
import { reapproveTestCampaign, runningCampaign, type RunningCampaign } from "@/lib/sending/send/testing/running-campaign";
import { localWebhookSecret } from "@/tests/fixtures/resend-webhook";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { processWebhookReceipt } from "./process-webhook-receipt";
import { receiveResendWebhook } from "./receive-resend-webhook";

/**
 * The whole loop on the embedded defaults: the send step mails through the Resend SDK to the
 * local outbox; the outbox simulates a reply and a hard bounce, signs and delivers them (with its
 * own automatic sent/delivered events) to the webhook route; the job processes them; and the
 * sequence's next step then goes to nobody but the lead who neither replied nor bounced.
 */
const PREFIX = "/api/local-resend";
let outbox: ServedHandler;
let route: ServedHandler;
let fx: TenancyFixture;
let r: RunningCampaign;

beforeAll(async () => {
  outbox = await serveWebHandler((request) => handleLocalResendRequest(request, new URL(request.url).pathname.slice(PREFIX.length)));
  route = await serveWebHandler((request) => receiveResendWebhook(request));
  // Before anything reads env() (parsed once): the SDK sends to and fetches from this outbox.
  process.env.RESEND_BASE_URL = `${outbox.url}${PREFIX}`;
  fx = await createTenancyFixture();
  r = await runningCampaign(fx.a, 3);
  // A second step, due at once after the first: the campaign is approved again for it.
  const [step] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days, delay_hours)
    values (${fx.a.id}, ${r.campaignId}, 2, 0, 0) returning id`);
  await serviceDb().execute(sql`
    insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
    values (${fx.a.id}, ${r.campaignId}, ${step!.id}, 'A', 'Relance', 'Je me permets de revenir vers vous.')`);
  await reapproveTestCampaign(r.campaignId);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await route?.close();
  await outbox?.close();
});

const send = (i: number) =>
  sendNextStep(serviceDb(), { workspaceId: fx.a.id, campaignId: r.campaignId, enrollmentId: r.enrollmentIds[i]!, generation: 1 });

/** Delivers the outbox's queued events about these emails to the route, then runs the job of each one stored. */
async function deliverAndProcess(emailIds: string[]) {
  const delivered = await deliverDueWebhooks({ url: `${route.url}/api/webhooks/resend`, secret: localWebhookSecret() }, { emailIds });
  expect(delivered.failed + delivered.retrying).toBe(0);
  // Only this test's deliveries: other files share the database and its receipts.
  const receipts = await serviceDb().execute<{ id: string }>(sql`
    select r.id from private.webhook_receipts r
    join local.outbox_webhook_deliveries d on r.provider = 'resend' and r.delivery_id = d.id::text
    where d.email_id = any(${sql.param(emailIds)}::uuid[]) and d.delivered_at is not null`);
  return Promise.all(receipts.map((row) => processWebhookReceipt(row.id)));
}
const outboxCount = async (address: string) =>
  (await serviceDb().execute(sql`select 1 from local.outbox_messages where ${address} = any(to_addresses)`)).length;

describe("reply and bounce through the local outbox", () => {
  it("stops the lead who replied and the one who bounced before their next step; the third gets it", async () => {
    for (const i of [0, 1, 2]) expect(await send(i)).toEqual({ next: "send", position: 2 });
    const sent = await serviceDb().select().from(emailMessages).where(inArray(emailMessages.enrollmentId, r.enrollmentIds));
    const byLead = (i: number) => sent.find((m) => m.leadId === r.leadIds[i])!;
    const admin = { workspaceId: fx.a.id, role: "admin" as const };

    const { receivedEmailId } = await simulateOutboxEvent(admin, {
      messageId: byLead(0).providerId!,
      kind: "replied",
      replyText: "Volontiers, appelez-moi jeudi.",
    });
    await simulateOutboxEvent(admin, { messageId: byLead(1).providerId!, kind: "bounced" });
    const outcomes = await deliverAndProcess([...sent.map((m) => m.providerId!), receivedEmailId!]);
    // The outbox announces `email.delivered` a few seconds after each send: on a busy machine
    // some are due already, and they change nothing this test looks at.
    expect(
      outcomes
        .map((o) => o.outcome)
        .filter((o) => o !== "delivered")
        .sort(),
    ).toEqual([
      "hard bounce: lead bounced, address suppressed, enrollments ended",
      "reply recorded, sequence stopped",
      "sent: recorded",
      "sent: recorded",
      "sent: recorded",
    ]);

    const [reply] = await serviceDb().select().from(emailReplies).where(eq(emailReplies.leadId, r.leadIds[0]!));
    expect(reply).toMatchObject({ messageId: byLead(0).id, fromAddress: r.emails[0] });
    expect(reply!.textBody).toMatch(/^Volontiers, appelez-moi jeudi\./);
    const statuses = await serviceDb().select({ id: leads.id, status: leads.status }).from(leads).where(inArray(leads.id, r.leadIds));
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toMatchObject({
      [r.leadIds[0]!]: "replied",
      [r.leadIds[1]!]: "bounced",
    });
    const timeline = await serviceDb()
      .select({ type: leadActivities.type })
      .from(leadActivities)
      .where(eq(leadActivities.leadId, r.leadIds[0]!));
    expect(timeline.map((t) => t.type)).toContain("email_replied");
    expect(await serviceDb().select().from(suppressions).where(eq(suppressions.value, r.emails[1]!))).toHaveLength(1);

    // Step 2 falls due for everyone: only the third lead is mailed again.
    await serviceDb().update(campaignEnrollments).set({ nextSendAt: new Date() }).where(inArray(campaignEnrollments.id, r.enrollmentIds));
    expect(await send(0)).toMatchObject({ next: "done" });
    expect(await send(1)).toMatchObject({ next: "done" });
    expect(await send(2)).toEqual({ next: "done", outcome: "completed" });
    expect([await outboxCount(r.emails[0]!), await outboxCount(r.emails[1]!), await outboxCount(r.emails[2]!)]).toEqual([1, 1, 2]);
    const ended = await serviceDb()
      .select({ status: campaignEnrollments.status, endCause: campaignEnrollments.endCause })
      .from(campaignEnrollments)
      .where(inArray(campaignEnrollments.id, r.enrollmentIds.slice(0, 2)));
    expect(ended.map((e) => e.endCause).sort()).toEqual(["bounced", "replied"]);
  });
});
