import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import {
  campaignEnrollments,
  campaigns,
  emailEvents,
  emailMessages,
  emailReplies,
  leadActivities,
  leads,
  notifications,
} from "@/db/schema";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { deliverResendEvent } from "@/tests/fixtures/webhook-delivery";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { processWebhookReceipt } from "../process-webhook-receipt";

/**
 * Replies arrive as `email.received` (metadata only) and are fetched with the Resend SDK from
 * GET /emails/receiving/{id}: here a local fake that answers in Resend's documented shape
 * (vendors/instantly-resend.md §2.9), until the local outbox serves it.
 */
type Inbound = { from: string; to: string[]; subject: string; text: string; html: string | null; headers: Record<string, string> | null };
const inbox = new Map<string, Inbound>();
let failNext: number | null = null;
let fake: ServedHandler;

async function fakeResend(request: Request): Promise<Response> {
  if (request.headers.get("authorization") !== `Bearer ${process.env.LOCAL_RESEND_API_KEY}`)
    return Response.json({ statusCode: 401, name: "missing_api_key", message: "Missing API key" }, { status: 401 });
  const id = /^\/emails\/receiving\/([^/?]+)$/.exec(new URL(request.url).pathname)?.[1];
  if (failNext) {
    const status = failNext;
    failNext = null;
    return Response.json({ statusCode: status, name: "internal_server_error", message: "Try again" }, { status });
  }
  const email = id ? inbox.get(id) : undefined;
  if (request.method !== "GET" || !id || !email)
    return Response.json({ statusCode: 404, name: "not_found", message: "Email not found" }, { status: 404 });
  return Response.json({
    object: "email",
    id,
    to: email.to,
    from: email.from,
    created_at: new Date().toISOString(),
    subject: email.subject,
    bcc: null,
    cc: null,
    reply_to: null,
    received_for: email.to,
    html: email.html,
    text: email.text,
    headers: email.headers,
    message_id: `<${randomUUID()}@mail.client.example>`,
    raw: null,
    attachments: [],
  });
}

let fx: TenancyFixture;
let campaign: Awaited<ReturnType<typeof createRunningTestCampaign>>;

beforeAll(async () => {
  // Before anything reads the environment (lib/env.ts caches its first parse).
  fake = await serveWebHandler(fakeResend);
  process.env.RESEND_BASE_URL = fake.url;
  fx = await createTenancyFixture();
  campaign = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
});
afterAll(async () => {
  await removeTenancyFixture(fx);
  await fake.close();
});

async function sentLead(status: "contacted" | "interested" = "contacted", c = campaign) {
  const email = `lead-${randomSuffix()}@client.example`;
  const leadId = await insertTestLead(fx.a, { email, status, firstName: "Ann", lastName: "Lee", ownerId: fx.a.members.manager.id });
  const [enrollment] = await serviceDb()
    .insert(campaignEnrollments)
    .values({ workspaceId: fx.a.id, campaignId: c.campaignId, leadId, identityId: c.identityId, nextSendAt: new Date() })
    .returning({ id: campaignEnrollments.id });
  const message = await insertSentTestMessage({
    workspaceId: fx.a.id,
    campaignId: c.campaignId,
    enrollmentId: enrollment!.id,
    leadId,
    stepId: c.stepId,
    identityId: c.identityId,
    toEmail: email,
  });
  return { ...message, leadId, enrollmentId: enrollment!.id, email };
}

/** The lead answers: the email is stored at the "provider" and announced by a signed email.received. */
async function reply(inbound: Partial<Inbound> & { from: string }, emailId = randomUUID()) {
  inbox.set(emailId, {
    to: ["zoe@acme.example"],
    subject: "Re: Bonjour",
    text: "Oui, parlons-en <script>alert(1)</script>",
    html: "<p>Oui</p>",
    headers: null,
    ...inbound,
  });
  const receiptId = await deliverResendEvent("email.received", {
    email_id: emailId,
    created_at: new Date().toISOString(),
    from: inbound.from,
    to: inbound.to ?? ["zoe@acme.example"],
    subject: "Re: Bonjour",
    message_id: "<x@mail.client.example>",
    attachments: [],
  });
  return { emailId, receiptId };
}

const enrollmentOf = async (id: string) => (await serviceDb().select().from(campaignEnrollments).where(eq(campaignEnrollments.id, id)))[0]!;
const leadOf = async (id: string) => (await serviceDb().select().from(leads).where(eq(leads.id, id)))[0]!;

describe("inbound replies (email.received)", () => {
  it("matches In-Reply-To to the message, stores the reply, stops the enrollment, moves the lead and tells its owner", async () => {
    const m = await sentLead();
    const { emailId, receiptId } = await reply({ from: `Ann Lee <${m.email}>`, headers: { "In-Reply-To": m.rfcMessageId } });
    expect(await processWebhookReceipt(receiptId)).toEqual({ outcome: "reply recorded, sequence stopped" });

    const [stored] = await serviceDb().select().from(emailReplies).where(eq(emailReplies.providerEmailId, emailId));
    expect(stored).toMatchObject({
      workspaceId: fx.a.id,
      messageId: m.id,
      leadId: m.leadId,
      enrollmentId: m.enrollmentId,
      fromAddress: m.email,
      textBody: "Oui, parlons-en <script>alert(1)</script>",
    });
    expect((await serviceDb().select().from(emailMessages).where(eq(emailMessages.id, m.id)))[0]!.repliedAt).toBeInstanceOf(Date);
    expect(await serviceDb().select({ type: emailEvents.type }).from(emailEvents).where(eq(emailEvents.messageId, m.id))).toEqual([
      { type: "received" },
    ]);
    expect(await enrollmentOf(m.enrollmentId)).toMatchObject({ status: "stopped", endCause: "replied", nextSendAt: null });
    expect((await leadOf(m.leadId)).status).toBe("replied");
    const entries = await serviceDb().select().from(leadActivities).where(eq(leadActivities.leadId, m.leadId));
    expect(entries.map((e) => e.type).sort()).toEqual(["email_replied", "status_changed"]);
    const told = await serviceDb()
      .select({ userId: notifications.userId, title: notifications.title, link: notifications.link })
      .from(notifications)
      .where(eq(notifications.subjectId, m.leadId));
    expect(told).toEqual([{ userId: fx.a.members.manager.id, title: "Ann Lee replied", link: `/leads/${m.leadId}` }]);
    const ended = await serviceDb().execute(
      sql`select 1 from public.job_events where name = 'campaigns/enrollment.ended' and data->>'enrollmentId' = ${m.enrollmentId}`,
    );
    expect(ended).toHaveLength(1);
  });

  it("matches through References (any header case) when In-Reply-To names something else", async () => {
    const m = await sentLead();
    const { receiptId } = await reply({
      from: m.email,
      headers: { "in-reply-to": "<elsewhere@client.example>", REFERENCES: `${m.rfcMessageId} <elsewhere@client.example>` },
    });
    expect((await processWebhookReceipt(receiptId)).outcome).toBe("reply recorded, sequence stopped");
    expect((await enrollmentOf(m.enrollmentId)).endCause).toBe("replied");
  });

  it("matches the message id tagged into the reply-to address", async () => {
    const m = await sentLead();
    const { receiptId } = await reply({ from: m.email, to: [`replies+${m.id}@in.acme.example`] });
    expect((await processWebhookReceipt(receiptId)).outcome).toBe("reply recorded, sequence stopped");
  });

  it("keeps a lead further on in the pipeline where it is, and a campaign that does not stop on reply running for it", async () => {
    const relaxed = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
    await serviceDb().execute(sql`update public.campaigns set stop_on_reply = false where id = ${relaxed.campaignId}`);
    const m = await sentLead("interested", relaxed);
    const { receiptId } = await reply({ from: m.email, headers: { "In-Reply-To": m.rfcMessageId } });
    expect((await processWebhookReceipt(receiptId)).outcome).toBe("reply recorded");
    expect((await enrollmentOf(m.enrollmentId)).status).toBe("active");
    expect((await leadOf(m.leadId)).status).toBe("interested");
  });

  it("ignores a reply to nothing we sent, and stores nothing", async () => {
    const { emailId, receiptId } = await reply({ from: "stranger@else.example", headers: { "In-Reply-To": "<nothing@nowhere>" } });
    expect(await processWebhookReceipt(receiptId)).toEqual({ outcome: "reply to no known message: ignored" });
    expect(await serviceDb().select().from(emailReplies).where(eq(emailReplies.providerEmailId, emailId))).toEqual([]);
  });

  it("stores a reply once when the provider announces it twice", async () => {
    const m = await sentLead();
    const emailId = randomUUID();
    const first = await reply({ from: m.email, headers: { "In-Reply-To": m.rfcMessageId } }, emailId);
    const second = await reply({ from: m.email, headers: { "In-Reply-To": m.rfcMessageId } }, emailId);
    await processWebhookReceipt(first.receiptId);
    expect(await processWebhookReceipt(second.receiptId)).toEqual({ outcome: "reply already recorded" });
    expect(await serviceDb().select().from(emailReplies).where(eq(emailReplies.providerEmailId, emailId))).toHaveLength(1);
    expect(await serviceDb().select().from(notifications).where(eq(notifications.subjectId, m.leadId))).toHaveLength(1);
  });

  it("finishes when the provider does not know the email, and throws (for the job to retry) when it fails", async () => {
    const receiptId = await deliverResendEvent("email.received", { email_id: randomUUID(), from: "a@b.example", to: ["zoe@acme.example"] });
    expect(await processWebhookReceipt(receiptId)).toEqual({ outcome: "the received email is unknown to the provider: ignored" });

    const m = await sentLead();
    const { receiptId: retried } = await reply({ from: m.email, headers: { "In-Reply-To": m.rfcMessageId } });
    failNext = 503;
    await expect(processWebhookReceipt(retried)).rejects.toThrow(/could not give the received email/);
    const [receipt] = await serviceDb().execute<{ processed: boolean }>(
      sql`select processed_at is not null as processed from private.webhook_receipts where id = ${retried}`,
    );
    expect(receipt!.processed).toBe(false);
    expect((await processWebhookReceipt(retried)).outcome).toBe("reply recorded, sequence stopped");
  });

  it("honours the List-Unsubscribe mailto: an email titled unsubscribe, from a mailed address, to the mailbox that mailed it", async () => {
    const m = await sentLead();
    const [identity] = await serviceDb().execute<{ from_email: string }>(
      sql`select from_email from public.sending_identities where id = ${campaign.identityId}`,
    );
    const mailbox = identity!.from_email;
    const outcome = async (inbound: Parameters<typeof reply>[0]) => (await processWebhookReceipt((await reply(inbound)).receiptId)).outcome;
    // A stranger, or the lead writing to another mailbox, unsubscribes nobody.
    expect(await outcome({ from: "someone@else.example", to: [mailbox], subject: "unsubscribe", headers: null })).toBe(
      "unsubscribe by email from an address never mailed: ignored",
    );
    expect(await outcome({ from: m.email, to: ["other@acme.example"], subject: "unsubscribe", headers: null })).toBe(
      "unsubscribe by email from an address never mailed: ignored",
    );
    expect((await leadOf(m.leadId)).status).toBe("contacted");

    expect(await outcome({ from: `Ann Lee <${m.email.toUpperCase()}>`, to: [mailbox], subject: " Unsubscribe ", headers: null })).toBe(
      "unsubscribe by email: 1 lead(s) unsubscribed",
    );
    expect((await leadOf(m.leadId)).status).toBe("unsubscribed");
    expect(await enrollmentOf(m.enrollmentId)).toMatchObject({
      status: "stopped",
      endCause: "unsubscribed",
      stopReason: "Unsubscribed (by email)",
    });
    const listed = await serviceDb().execute<{ reason: string }>(
      sql`select reason from public.suppressions where workspace_id = ${fx.a.id} and value = ${m.email}`,
    );
    expect(listed).toEqual([{ reason: "unsubscribe" }]);
    expect(await serviceDb().select().from(emailReplies).where(eq(emailReplies.leadId, m.leadId))).toEqual([]);
  });
});
