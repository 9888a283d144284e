import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { connectIntegrationAccount, disconnectIntegrationAccount, getIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { startFakeInstantly, type FakeInstantly } from "@/lib/integrations/instantly/testing/fake-instantly";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { asStepError, syncInstantlyFunction, syncInstantlyHourlyFunction } from "./sync-instantly";

const KEY = "instantly-sync-key-0001";
const B_KEY = "instantly-sync-key-0002";
const fake: FakeInstantly = await startFakeInstantly({ keys: { [KEY]: ["all:all"], [B_KEY]: ["all:all"] } });
// Before anything reads the environment: env() is parsed once per process.
process.env.INSTANTLY_API_URL = fake.url;

let fx: TenancyFixture;
let accountId: string;
const today = new Date().toISOString().slice(0, 10);
const leadId = (n: number) => `0190f000-0000-7000-8000-${String(n).padStart(12, "0")}`;
const lead = (n: number) => ({
  id: leadId(n),
  email: `Lead${n}@Acme.example`,
  campaign: "c1",
  status: 1,
  payload: { icebreaker: `hi ${n}` },
});

function seed() {
  fake.data.campaigns.splice(
    0,
    Infinity,
    { id: "c1", name: "Q4", status: 1, timestamp_created: `${today}T08:00:00.000Z` },
    { id: "c2", name: "Paused", status: 2 },
    { id: "c3", name: "Draft", status: 0 },
  );
  fake.data.accounts.splice(
    0,
    Infinity,
    { email: "ana@send.example", status: 1, warmup_status: 1 },
    { email: "ben@send.example", status: -1 },
  );
  fake.data.leads.splice(0, Infinity, ...Array.from({ length: 150 }, (_, n) => lead(n)));
  // Instantly's lead statuses: −1 bounced, −2 unsubscribed.
  fake.data.leads[3]!.status = -1;
  fake.data.leads[4]!.status = -2;
  fake.data.emails.splice(0, Infinity, {
    id: "e1",
    timestamp_created: "2026-11-20T10:00:00.000Z",
    lead: "lead1@acme.example",
    subject: "Re: Q4",
  });
  fake.data.daily = { c1: [{ date: today, sent: 40, replies: 2 }], c2: [{ date: today, sent: 5, replies: 0 }] };
}

async function runSync() {
  const engine = new InngestTestEngine({
    function: syncInstantlyFunction,
    events: [
      { name: "integrations/instantly-sync.requested", data: { workspaceId: fx.a.id, accountId, requestedBy: null } } as EventPayload,
    ],
  });
  return (await engine.execute()) as { result?: Record<string, { requests: number; stored: number }>; error?: Error };
}

const requestsByPath = () => {
  const counts: Record<string, number> = {};
  for (const r of fake.requests) counts[r.path] = (counts[r.path] ?? 0) + 1;
  return counts;
};

/** Every raw row of A: what a replay must leave exactly as it was. */
const rawSnapshot = () =>
  serviceDb().execute<{ t: string; id: string; raw: unknown; fetched_at: string }>(sql`
    select 'campaigns' t, instantly_id id, raw, fetched_at::text from instantly_campaigns where workspace_id = ${fx.a.id}
    union all select 'accounts', instantly_id, raw, fetched_at::text from instantly_sending_accounts where workspace_id = ${fx.a.id}
    union all select 'leads', instantly_id, raw, fetched_at::text from instantly_leads where workspace_id = ${fx.a.id}
    union all select 'emails', instantly_id, raw, fetched_at::text from instantly_emails where workspace_id = ${fx.a.id}
    union all select 'daily', campaign_id || '/' || day, raw, fetched_at::text from instantly_campaign_daily_analytics where workspace_id = ${fx.a.id}
    order by 1, 2`);

const leadIds = async () =>
  (
    await serviceDb().execute<{ id: string }>(sql`select instantly_id id from instantly_leads where workspace_id = ${fx.a.id} order by 1`)
  ).map((r) => r.id);

const account = () => asUser(fx.a.members.admin, (tx) => getIntegrationAccount(tx, fx.a.id, accountId));

/** Our leads whose addresses Instantly knows: bounced (lead 3), unsubscribed (lead 4), replied (lead 1), and lead 5. */
const ours: Record<"bounced" | "unsubscribed" | "replied" | "untouched", string> = {
  bounced: "",
  unsubscribed: "",
  replied: "",
  untouched: "",
};

async function insertOurLead(workspaceId: string, email: string, status: string): Promise<string> {
  const [row] = await serviceDb().execute<{ id: string }>(sql`
    insert into leads (workspace_id, first_name, email, status) values (${workspaceId}, 'Zoë', ${email}, ${status}) returning id`);
  return row!.id;
}

async function ourLead(which: keyof typeof ours) {
  const [lead] = await serviceDb().execute<{ status: string; email_status: string }>(
    sql`select status, email_status from leads where id = ${ours[which]}`,
  );
  const activities = await serviceDb().execute<{ type: string }>(
    sql`select type from lead_activities where lead_id = ${ours[which]} order by type::text`,
  );
  return { ...lead!, activities: activities.map((a) => a.type) };
}

const suppressed = () =>
  serviceDb().execute<{ value: string; reason: string }>(
    sql`select value, reason from suppressions where workspace_id = ${fx.a.id} order by value`,
  );

beforeAll(async () => {
  expect(env().INSTANTLY_API_URL).toBe(fake.url);
  fx = await createTenancyFixture();
  seed();
  ours.bounced = await insertOurLead(fx.a.id, "LEAD3@acme.example", "replied");
  ours.unsubscribed = await insertOurLead(fx.a.id, "lead4@acme.example", "interested");
  ours.replied = await insertOurLead(fx.a.id, "lead1@acme.example", "contacted");
  ours.untouched = await insertOurLead(fx.a.id, "lead5@acme.example", "contacted");
  await insertOurLead(fx.b.id, "lead3@acme.example", "contacted");
  const admin = fx.a.members.admin;
  const view = await asUser(admin, (tx) =>
    connectIntegrationAccount(tx, { workspaceId: fx.a.id, userId: admin.id, role: "admin" }, { vendor: "instantly", apiKey: KEY }),
  );
  accountId = view.id;
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});

describe("sync-instantly", () => {
  it("syncs everything the first time, as received, and marks the account connected", async () => {
    fake.requests.length = 0;
    const { result, error } = await runSync();
    expect(error).toBeUndefined();
    expect(result).toEqual({
      campaigns: { requests: 1, stored: 3 },
      sending_accounts: { requests: 1, stored: 2 },
      // c1 and c2: a draft has no analytics.
      campaign_daily_analytics: { requests: 2, stored: 2 },
      // 100, then 50 (a short page is the last).
      leads: { requests: 2, stored: 150, reflected: { bounced: 1, unsubscribed: 1, replied: 0, added: 0 } },
      // The bounced and the unsubscribed lists (each a page, then the empty page that ends it), already stored with the rest.
      lead_states: { requests: 4, stored: 0, reflected: { bounced: 0, unsubscribed: 0, replied: 0, added: 0 } },
      emails: { requests: 1, stored: 1, reflected: { bounced: 0, unsubscribed: 0, replied: 1, added: 0 } },
      // No campaign of ours was launched through Instantly: nothing to follow, no request.
      pushed_campaigns: {
        requests: 0,
        stored: 0,
        reflected: { bounced: 0, unsubscribed: 0, replied: 0, added: 0 },
        enrollments: { completed: 0, ended: 0, linked: 0, completedCampaigns: 0 },
      },
    });
    expect(fake.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(fake.requests.filter((r) => r.path === "/campaigns/analytics/daily").map((r) => r.query)).toEqual([
      { campaign_id: "c1", start_date: today, end_date: today },
      { campaign_id: "c2", start_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), end_date: today },
    ]);
    const [stored] = await serviceDb().execute<{ raw: unknown; email: string }>(
      sql`select raw, email from instantly_leads where workspace_id = ${fx.a.id} and instantly_id = ${leadId(7)}`,
    );
    expect(stored).toEqual({ raw: lead(7), email: "lead7@acme.example" });
    expect(await account()).toMatchObject({ status: "connected", lastError: null, lastSuccessAt: expect.any(Date) });
  });

  it("re-syncs unchanged data with at most one request per resource (one per campaign for its days) and changes no row", async () => {
    const before = await rawSnapshot();
    fake.requests.length = 0;
    const { result } = await runSync();
    // Leads: one from the cursor, and two for each of the bounced and unsubscribed lists (read to their empty page).
    expect(requestsByPath()).toEqual({ "/campaigns": 1, "/accounts": 1, "/leads/list": 5, "/emails": 1, "/campaigns/analytics/daily": 2 });
    expect(Object.values(result!).map((o) => o.stored)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(fake.requests.find((r) => r.path === "/leads/list")!.body).toEqual({ limit: 100, starting_after: leadId(149) });
    expect(fake.requests.find((r) => r.path === "/emails")!.query.starting_after).toBe("2026-11-20T10:00:00.000Z");
    expect(await rawSnapshot()).toEqual(before);
  });

  it("reads only what changed or follows the cursors", async () => {
    fake.data.campaigns[1]!.status = 1;
    fake.data.leads.push(lead(150));
    // A reply from lead 150, an Instantly lead with no lead of ours, and mail from a stranger Instantly ties to nothing.
    fake.data.emails.push(
      { id: "e2", timestamp_created: "2026-11-21T09:00:00.000Z", lead: "lead150@acme.example", subject: "Re: Q4" },
      { id: "e3", timestamp_created: "2026-11-21T09:30:00.000Z", from_address_email: "Stranger@Elsewhere.example", subject: "Hello" },
    );
    fake.data.daily.c1!.push({ date: today, sent: 41, replies: 3 });
    fake.data.daily.c1!.shift();
    fake.requests.length = 0;
    const { result } = await runSync();
    expect(result).toMatchObject({
      campaigns: { stored: 1 },
      sending_accounts: { stored: 0 },
      campaign_daily_analytics: { stored: 1 },
      leads: { requests: 1, stored: 1 },
      emails: { requests: 1, stored: 2, reflected: { replied: 1, added: 1 } },
    });
    expect(await leadIds()).toHaveLength(151);
    // Lead 150's reply made it a lead of ours (unassigned, linked to its Instantly lead); the stranger's mail stayed raw.
    const made = await serviceDb().execute<{
      email: string;
      source: string;
      status: string;
      owner_id: null;
      instantly_lead_id: string;
    }>(sql`
      select email, source, status, owner_id, instantly_lead_id from leads
      where workspace_id = ${fx.a.id} and lower(email) in ('lead150@acme.example', 'stranger@elsewhere.example')`);
    expect(made).toEqual([
      { email: "lead150@acme.example", source: "instantly", status: "replied", owner_id: null, instantly_lead_id: leadId(150) },
    ]);
  });

  it("reflects Instantly's bounces, unsubscribes and replies on our leads with the same address, their timelines and the suppression list, once", async () => {
    expect(await ourLead("bounced")).toEqual({
      status: "bounced",
      email_status: "invalid",
      activities: ["email_bounced", "status_changed"],
    });
    expect(await ourLead("unsubscribed")).toMatchObject({ status: "unsubscribed", activities: ["status_changed", "unsubscribed"] });
    expect(await ourLead("replied")).toMatchObject({ status: "replied", activities: ["email_replied", "status_changed"] });
    expect(await ourLead("untouched")).toMatchObject({ status: "contacted", activities: [] });
    expect(await suppressed()).toEqual([
      { value: "lead3@acme.example", reason: "bounce" },
      { value: "lead4@acme.example", reason: "unsubscribe" },
    ]);
    const [reply] = await serviceDb().execute<{ payload: unknown }>(sql`
      select payload from lead_activities where lead_id = ${ours.replied} and type = 'email_replied'`);
    expect(reply!.payload).toEqual({ subject: "Re: Q4" });
    // B has the same addresses as leads of its own: Instantly's news is A's alone.
    expect(await serviceDb().execute(sql`select 1 from suppressions where workspace_id = ${fx.b.id}`)).toHaveLength(0);
  });

  it("finds a lead synced before that bounces later, though the cursor has passed it", async () => {
    fake.data.leads[5]!.status = -1;
    fake.requests.length = 0;
    const { result } = await runSync();
    expect(result!.lead_states).toEqual({ requests: 4, stored: 1, reflected: { bounced: 1, unsubscribed: 0, replied: 0, added: 0 } });
    expect(await ourLead("untouched")).toMatchObject({ status: "bounced", activities: ["email_bounced", "status_changed"] });
    const again = await runSync();
    expect(again.result!.lead_states).toEqual({ requests: 4, stored: 0, reflected: { bounced: 0, unsubscribed: 0, replied: 0, added: 0 } });
    expect((await ourLead("untouched")).activities).toHaveLength(2);
  });

  it("reads the bounced list to its empty page, though Instantly answers pages shorter than asked before the end", async () => {
    const later = [fake.data.leads[6]!, fake.data.leads[8]!];
    for (const l of later) l.status = -1;
    fake.leadPageCap = 1;
    try {
      expect((await runSync()).error).toBeUndefined();
    } finally {
      fake.leadPageCap = null;
    }
    const entries = await serviceDb().execute<{ value: string }>(sql`
      select value from suppressions where workspace_id = ${fx.a.id} and reason = 'bounce'
        and value = any(${`{${later.map((l) => String(l.email).toLowerCase()).join(",")}}`}::text[])`);
    expect(entries).toHaveLength(2);
  });

  it("fails a run that meets an Instantly outage with a readable reason, keeps every page stored before it, and resumes after it", async () => {
    fake.data.leads.push(...Array.from({ length: 250 }, (_, n) => lead(151 + n)));
    // The first page of new leads passes; the second meets five 503s (the first try and 4 retries).
    fake.fail({ path: "/leads/list", skip: 1, status: 503 }, ...Array.from({ length: 4 }, () => ({ path: "/leads/list", status: 503 })));
    const failed = await runSync();
    expect(failed.error?.message).toBe("Instantly is not answering properly (HTTP 503 on 5 attempts). Nothing was lost; try again later.");
    expect(await account()).toMatchObject({
      status: "failing",
      lastError: "Sync: Instantly is not answering properly (HTTP 503 on 5 attempts). Nothing was lost; try again later.",
    });
    expect(await leadIds()).toHaveLength(251);

    fake.requests.length = 0;
    const { result, error } = await runSync();
    expect(error).toBeUndefined();
    expect(fake.requests.find((r) => r.path === "/leads/list")!.body).toEqual({ limit: 100, starting_after: leadId(250) });
    expect(result!.leads).toMatchObject({ requests: 2, stored: 150 });
    const ids = await leadIds();
    expect(ids).toEqual(Array.from({ length: 401 }, (_, n) => leadId(n)));
    expect(await account()).toMatchObject({ status: "connected", lastError: null });
  }, 60_000);

  it("waits as long as Instantly's 429 asks before the retry, durably, when that is longer than a call sits through", async () => {
    fake.fail({
      path: "/campaigns",
      status: 429,
      headers: { "retry-after": "120", "content-type": "application/json" },
      body: '{"statusCode":429,"error":"Too Many Requests","message":"Rate limit exceeded"}',
    });
    const { error } = await runSync();
    // (The test engine keeps the error's name and message; the executor reads its retryAfter.)
    expect(error).toMatchObject({
      name: "RetryAfterError",
      message: expect.stringMatching(/^Instantly kept answering "too many requests"/),
    });
    expect((await account()).lastError).toBe(
      'Sync: Instantly kept answering "too many requests" after 1 attempts. (“Rate limit exceeded”)',
    );
    const asked = asStepError(new VendorError("instantly", "rate_limited", "Slow down.", { status: 429, retryAfterMs: 120_000 }));
    expect(asked).toMatchObject({ name: "RetryAfterError", retryAfter: "120" });
    const down = new VendorError("instantly", "unavailable", "Down.");
    expect(asStepError(down)).toBe(down);
  });

  it("fails at once on a revoked key, saying so on the account", async () => {
    fake.fail({ path: "/campaigns", status: 401, body: '{"statusCode":401,"error":"Unauthorized","message":"Invalid API key"}' });
    const { error } = await runSync();
    expect(error?.name).toBe("NonRetriableError");
    expect(error?.message).toMatch(/^Instantly refused the API key \(“Invalid API key”\)/);
    expect((await account()).lastError).toMatch(/^Sync: Instantly refused the API key/);
  });

  it("leaves out an item of another shape, keeps it as received with the field, and stores the rest of its page", async () => {
    const count = async () =>
      (await serviceDb().execute<{ n: number }>(sql`select count(*)::int n from instantly_leads where workspace_id = ${fx.a.id}`))[0]!.n;
    const before = await count();
    const good = (id: string) => ({ id, email: `${id}@cafe.example`, campaign: null, status: 1, timestamp_updated: null });
    fake.fail({
      path: "/leads/list",
      status: 200,
      headers: { "content-type": "application/json" },
      // A status Instantly wrote as text: one item, not the page, and not every later step of the sync.
      body: JSON.stringify({ items: [good("zz-odd-1"), { ...good("zz-odd-2"), status: "1" }, good("zz-odd-3")] }),
    });
    const { error, result } = await runSync();
    expect(error).toBeUndefined();
    expect(result).toHaveProperty("emails");
    expect(await count()).toBe(before + 2);
    const kept = await serviceDb().execute<{ vendor: string; endpoint: string; field: string; problem: string; body: unknown }>(
      sql`select vendor::text, endpoint, field, problem, body from integration_invalid_answers where account_id = ${accountId} order by received_at desc limit 1`,
    );
    expect(kept[0]).toEqual({
      vendor: "instantly",
      endpoint: "sync: leads",
      field: "items.1.status",
      problem: expect.stringMatching(
        /^Instantly's leads answer had an item of another shape at items\.1\.status .*left out, the rest of its page kept\.$/,
      ),
      body: { ...good("zz-odd-2"), status: "1" },
    });
  });

  it("still fails on an answer that is not a page at all, and keeps it", async () => {
    fake.fail({ path: "/leads/list", status: 200, headers: { "content-type": "application/json" }, body: '{"data":[]}' });
    const { error } = await runSync();
    expect(error?.name).toBe("NonRetriableError");
    expect(error?.message).toMatch(/^Instantly's lead list answer did not have the expected shape at items/);
    // The next run, with Instantly answering as documented again, syncs as usual.
    expect((await runSync()).error).toBeUndefined();
  });

  it("asks the hourly sync of every connected Instantly account, once per hour", async () => {
    const admin = fx.b.members.admin;
    const b = await asUser(admin, (tx) =>
      connectIntegrationAccount(tx, { workspaceId: fx.b.id, userId: admin.id, role: "admin" }, { vendor: "instantly", apiKey: B_KEY }),
    );
    const ts = Date.parse("2026-11-30T14:00:00Z");
    const engine = new InngestTestEngine({
      function: syncInstantlyHourlyFunction,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "0 * * * *" }, ts } as EventPayload],
      // What the fan-out asks is read from the step's mock; nothing leaves the test.
      steps: [{ id: "fan-out", handler: () => ({ ids: [] }) }],
    });
    const { ctx } = await engine.execute();
    const sent = (ctx.step.sendEvent as unknown as { mock: { calls: [string, { id: string; data: { accountId: string } }[]][] } }).mock
      .calls;
    const ours = sent[0]![1].filter((e) => [accountId, b.id].includes(e.data.accountId));
    expect(ours.map((e) => e.id).sort()).toEqual(
      [`instantly-sync-${accountId}-2026-11-30T14`, `instantly-sync-${b.id}-2026-11-30T14`].sort(),
    );
    expect(ours.find((e) => e.data.accountId === b.id)).toMatchObject({
      name: "integrations/instantly-sync.requested",
      data: { workspaceId: fx.b.id, accountId: b.id, requestedBy: null },
    });
  });

  it("skips an account disconnected since the sync was asked for, touching nothing", async () => {
    const admin = fx.a.members.admin;
    await asUser(admin, (tx) => disconnectIntegrationAccount(tx, { workspaceId: fx.a.id, userId: admin.id, role: "admin" }, { accountId }));
    fake.requests.length = 0;
    const { result } = (await runSync()) as unknown as { result: unknown };
    expect(result).toEqual({
      skipped: "Instantly is not connected to this workspace any more: an admin can connect it in Settings → Integrations.",
    });
    expect(fake.requests).toEqual([]);
  });
});
