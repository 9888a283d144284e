import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sendEmail } from "@/lib/email/send-email";
import { listRepliesTo } from "@/lib/outbox/received";
import { handleLocalResendRequest } from "@/lib/outbox/resend-endpoint";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createRunningCampaign, enrollLeads, type RunningCampaign } from "@/tests/fixtures/running-campaign";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { DEMO_REPLY_TEXT, playDemoCampaignActivity } from "./demo-campaign-activity";

/**
 * The demo's first readers are played through the Dev outbox's own simulations: the campaign's
 * emails are real outbox messages (sent with the Resend SDK to the outbox over HTTP), and what
 * the readers do is queued as the Svix-signed webhooks Resend would send.
 */
const PREFIX = "/api/local-resend";
let outbox: ServedHandler;
let fx: TenancyFixture;
let campaign: RunningCampaign;
const outboxIds: string[] = [];
const db = () => serviceDb();

beforeAll(async () => {
  outbox = await serveWebHandler((request) => handleLocalResendRequest(request, new URL(request.url).pathname.slice(PREFIX.length)));
  process.env.RESEND_BASE_URL = `${outbox.url}${PREFIX}`;
  fx = await createTenancyFixture(db());
  campaign = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin);
  const leadIds = [];
  for (let i = 0; i < 9; i++) leadIds.push(await insertTestLead(fx.a, { email: `reader-${i}-${randomSuffix()}@example.test` }));
  const enrollmentIds = await enrollLeads(fx.a.id, campaign, leadIds);
  for (const [i, enrollmentId] of enrollmentIds.entries()) {
    const rfc = `<${randomSuffix()}@acme.test>`;
    const { id } = await sendEmail({
      kind: "product",
      from: "Bruno <bruno@acme.test>",
      to: `reader-${i}@example.test`,
      subject: "Quick idea",
      text: "Hi, see https://acme.test/pricing",
      headers: { "Message-ID": rfc },
      tags: [{ name: "workspace_id", value: fx.a.id }],
    });
    outboxIds.push(id);
    await db().execute(sql`
      insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, variant_id, variant_label, lead_id,
        identity_id, status, to_email, subject, text_body, provider_id, rfc_message_id, sent_at)
      values (${fx.a.id}, ${campaign.campaignId}, ${enrollmentId}, ${campaign.steps[0]!.id}, 1, ${campaign.steps[0]!.variants.A!}, 'A',
        ${leadIds[i]!}, ${campaign.identityId}, 'sent', ${`reader-${i}@example.test`}, 'Quick idea', 'Hi', ${id}, ${rfc},
        now() + ${`${i} seconds`}::interval)`);
  }
});
afterAll(async () => {
  delete process.env.RESEND_BASE_URL;
  if (fx) await removeTenancyFixture(fx, db());
  await outbox?.close();
});

async function queued(emailIds: string[]) {
  return db().execute<{ event_type: string; email_id: string }>(sql`
    select event_type, email_id from local.outbox_webhook_deliveries
     where email_id in ${emailIds} and event_type not in ('email.sent', 'email.delivered') order by created_at, id`);
}

describe("the demo campaign's first readers", () => {
  it("open, click, reply to the first email and bounce the last, as webhooks the app will process; a second play adds no reply", async () => {
    const played = await playDemoCampaignActivity(db(), { workspaceId: fx.a.id, campaignId: campaign.campaignId });
    expect(played).toMatchObject({ opened: 5, clicked: 3, replied: 1, bounced: 1, complained: 0 });
    const replies = await listRepliesTo(outboxIds[0]!);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain(DEMO_REPLY_TEXT);
    const events = await queued(outboxIds);
    expect(events.filter((e) => e.email_id === outboxIds[0]).map((e) => e.event_type)).toEqual(["email.opened", "email.clicked"]);
    expect(events.filter((e) => e.email_id === outboxIds[8]).map((e) => e.event_type)).toEqual(["email.bounced"]);

    const again = await playDemoCampaignActivity(db(), { workspaceId: fx.a.id, campaignId: campaign.campaignId });
    expect(again.replied).toBe(0);
    expect(await listRepliesTo(outboxIds[0]!)).toHaveLength(1);
  });

  it("finds nothing to play in another workspace's campaign", async () => {
    const played = await playDemoCampaignActivity(db(), { workspaceId: fx.b.id, campaignId: campaign.campaignId });
    expect(Object.values(played).every((n) => n === 0)).toBe(true);
  });
});
