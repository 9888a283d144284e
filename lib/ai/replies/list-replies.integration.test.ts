import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createRunningCampaign, enrollLeads, insertMessage, type RunningCampaign } from "@/tests/fixtures/running-campaign";
import { claimsFor, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TestUser } from "@/tests/fixtures/tenancy";
import { listReplies, listReplyCampaigns } from "./list-replies";
import { decodeReplyCursor, encodeReplyCursor } from "./reply-filters";

/**
 * The Replies inbox and a campaign's replies, read as a member under RLS: newest first, a page at
 * a time by keyset (no reply repeated or skipped, even with equal times), filtered by category
 * (or not read yet) and campaign, with the step answered; another workspace's replies, and those
 * of deleted leads, are not there.
 */
let fx: TenancyFixture;
let campaign: RunningCampaign;
let other: RunningCampaign;
const ids: Record<string, string> = {};
const db = () => serviceDb();

async function insertReply(
  values: {
    leadId: string;
    campaignId: string | null;
    key: string;
    at: string;
    category?: string;
    state?: string;
    source?: string;
    returnDate?: string;
  },
  workspaceId = fx.a.id,
): Promise<string> {
  const state = values.state ?? "classified";
  const [row] = await db().execute<{ id: string }>(sql`
    insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, campaign_id, body, received_at, state, category,
      confidence, classified_at, return_date)
    values (${workspaceId}, ${values.source ?? "resend"}, ${values.key}, ${values.leadId}, ${values.campaignId}, ${`Reply ${values.key}`},
      ${values.at}::timestamptz, ${state}, ${values.category ?? (state === "classified" ? "question" : null)},
      ${state === "classified" ? 0.8 : null}, ${state === "classified" ? sql`now()` : null}, ${values.returnDate ?? null}::date)
    returning id`);
  return row!.id;
}

const as = <T>(user: TestUser, work: Parameters<typeof withUserTx<T>>[1]) => withUserTx(claimsFor(user.id, user.email), work);

beforeAll(async () => {
  fx = await createTenancyFixture();
  campaign = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Replies A" });
  other = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Replies B" });
  const lead = await insertTestLead(fx.a, { firstName: "Ida", lastName: "Reply", email: "ida.reply@leads.example" });
  const [enrollment] = await enrollLeads(fx.a.id, campaign, [lead]);
  const message = await insertMessage(fx.a.id, campaign, { enrollmentId: enrollment!, leadId: lead, position: 2 });
  const [emailReply] = await db().execute<{ id: string }>(sql`
    insert into public.email_replies (workspace_id, message_id, campaign_id, enrollment_id, lead_id, provider_email_id, from_address, received_at)
    values (${fx.a.id}, ${message}, ${campaign.campaignId}, ${enrollment!}, ${lead}, ${`inbound-${message}`}, 'ida.reply@leads.example',
      '2026-11-30T12:00:00Z') returning id`);
  ids.stepped = await insertReply({
    leadId: lead,
    campaignId: campaign.campaignId,
    key: emailReply!.id,
    at: "2026-11-30T12:00:00Z",
    category: "interested",
  });
  // Five at the very same time (a sync's page): the keyset's tie-breaker must page through them.
  for (let i = 0; i < 5; i++) {
    const l = await insertTestLead(fx.a);
    ids[`tie${i}`] = await insertReply({
      leadId: l,
      campaignId: campaign.campaignId,
      key: `tie-${i}`,
      at: "2026-11-29T08:00:00Z",
      ...(i === 0 ? { category: "out_of_office", returnDate: "2027-01-12" } : { category: "not_now" }),
    });
  }
  const l2 = await insertTestLead(fx.a);
  // A person Instantly's sandbox invented (its reply made the lead): the inbox marks it as sample data.
  await db().execute(sql`update public.leads set source = 'instantly', sample_data = 'lead' where id = ${l2}`);
  ids.otherCampaign = await insertReply({
    leadId: l2,
    campaignId: other.campaignId,
    key: "b-1",
    at: "2026-11-30T13:00:00Z",
    category: "interested",
  });
  ids.pending = await insertReply({ leadId: l2, campaignId: null, key: "pending-1", at: "2026-11-30T14:00:00Z", state: "pending" });
  ids.auto = await insertReply({
    leadId: l2,
    campaignId: null,
    key: "inst-1",
    at: "2026-11-28T08:00:00Z",
    category: "auto_reply",
    source: "instantly",
  });
  const gone = await insertTestLead(fx.a);
  ids.deleted = await insertReply({ leadId: gone, campaignId: campaign.campaignId, key: "gone-1", at: "2026-11-30T15:00:00Z" });
  await db().execute(sql`update public.leads set deleted_at = now() where id = ${gone}`);
  const elsewhere = await insertTestLead(fx.b);
  ids.b = await insertReply({ leadId: elsewhere, campaignId: null, key: "other-ws", at: "2026-11-30T16:00:00Z" }, fx.b.id);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

describe("listReplies", () => {
  it("lists the workspace's replies newest first, with the lead, the campaign and the step answered, for any member", async () => {
    const page = await as(fx.a.members.viewer, (tx) => listReplies(tx, { workspaceId: fx.a.id }));
    expect(page.rows.map((r) => r.id)).toEqual([
      ids.pending,
      ids.otherCampaign,
      ids.stepped,
      ...[0, 1, 2, 3, 4].map((i) => ids[`tie${i}`]).sort((a, b) => (a! < b! ? 1 : -1)),
      ids.auto,
    ]);
    expect(page.nextCursor).toBeNull();
    expect(page.rows.find((r) => r.id === ids.stepped)).toMatchObject({
      leadName: "Ida Reply",
      leadEmail: "ida.reply@leads.example",
      campaignId: campaign.campaignId,
      campaignName: "Replies A",
      category: "interested",
      confidence: expect.closeTo(0.8, 5),
      step: 2,
      receivedAt: "2026-11-30T12:00:00.000Z",
      returnDate: null,
    });
    expect(page.rows.find((r) => r.id === ids.tie0)).toMatchObject({ category: "out_of_office", returnDate: "2027-01-12" });
    expect(page.rows.find((r) => r.id === ids.auto)).toMatchObject({ source: "instantly", step: null, campaignId: null });
    expect(page.rows.find((r) => r.id === ids.auto)).toMatchObject({ leadSource: "instantly", leadSampleData: "lead" });
    expect(page.rows.find((r) => r.id === ids.stepped)).toMatchObject({ leadSampleData: null });
  });

  it("pages by keyset without repeating or skipping a reply, ties included", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 10; n++) {
      const page = await as(fx.a.members.sales_rep, (tx) =>
        listReplies(tx, { workspaceId: fx.a.id, cursor: cursor ? decodeReplyCursor(cursor) : null, limit: 2 }),
      );
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const all = await as(fx.a.members.sales_rep, (tx) => listReplies(tx, { workspaceId: fx.a.id }));
    expect(seen).toEqual(all.rows.map((r) => r.id));
    expect(new Set(seen).size).toBe(9);
  });

  it("filters by category, by not read yet, and by campaign", async () => {
    const read = (filters: Parameters<typeof listReplies>[1]) =>
      as(fx.a.members.sales_rep, (tx) => listReplies(tx, filters)).then((p) => p.rows.map((r) => r.id));
    expect(await read({ workspaceId: fx.a.id, category: "interested" })).toEqual([ids.otherCampaign, ids.stepped]);
    expect(await read({ workspaceId: fx.a.id, category: "unread" })).toEqual([ids.pending]);
    expect(await read({ workspaceId: fx.a.id, category: "auto_reply" })).toEqual([ids.auto]);
    expect(await read({ workspaceId: fx.a.id, campaignId: other.campaignId })).toEqual([ids.otherCampaign]);
    expect(await read({ workspaceId: fx.a.id, campaignId: campaign.campaignId, category: "interested" })).toEqual([ids.stepped]);
  });

  it("never shows another workspace's replies, even asked for them by id", async () => {
    const asked = await as(fx.a.members.admin, (tx) => listReplies(tx, { workspaceId: fx.b.id }));
    expect(asked.rows).toEqual([]);
    const theirs = await as(fx.b.members.viewer, (tx) => listReplies(tx, { workspaceId: fx.b.id }));
    expect(theirs.rows.map((r) => r.id)).toEqual([ids.b]);
    const filtered = await as(fx.b.members.admin, (tx) => listReplies(tx, { workspaceId: fx.b.id, campaignId: campaign.campaignId }));
    expect(filtered.rows).toEqual([]);
  });

  it("offers as campaign filters only the campaigns that have replies", async () => {
    const campaigns = await as(fx.a.members.viewer, (tx) => listReplyCampaigns(tx, { workspaceId: fx.a.id }));
    expect(campaigns).toEqual([
      { id: campaign.campaignId, name: "Replies A" },
      { id: other.campaignId, name: "Replies B" },
    ]);
  });

  it("orders the campaign filters by name as a reader would: 'Élan' before 'Replies A'", async () => {
    const elan = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Élan follow-up" });
    const lead = await insertTestLead(fx.a);
    const reply = await insertReply({ leadId: lead, campaignId: elan.campaignId, key: "elan-1", at: "2026-11-27T08:00:00Z" });
    try {
      const campaigns = await as(fx.a.members.viewer, (tx) => listReplyCampaigns(tx, { workspaceId: fx.a.id }));
      expect(campaigns.map((c) => c.name)).toEqual(["Élan follow-up", "Replies A", "Replies B"]);
    } finally {
      await db().execute(sql`delete from public.reply_classifications where id = ${reply}`);
    }
  });

  it("reads a cursor only as this app writes it", () => {
    const cursor = { receivedAt: "2026-11-30 12:00:00.123456+00", id: "5f0c1f4e-7d1a-4a57-9a53-2f3c3b0f1a11" };
    expect(decodeReplyCursor(encodeReplyCursor(cursor))).toEqual(cursor);
    expect(decodeReplyCursor("not-a-cursor")).toBeNull();
    expect(decodeReplyCursor(Buffer.from("2026-11-30|1' or 1=1").toString("base64url"))).toBeNull();
  });
});
