import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { syncInstantlyFunction } from "@/inngest/functions/integrations/sync-instantly";
import { env } from "@/lib/env";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { recheckIntegrationAccount } from "@/lib/integrations/accounts/integration-key";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { mintSandboxKey } from "@/lib/integrations/sandbox/sandbox-key";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { createInstantlyClient } from "../client";
import { requestInstantlySync } from "../request-sync";
import { checkInstantlyKey } from "../key-check";
import { getSyncedInstantlyCampaign, listSyncedInstantlyCampaigns } from "../synced-campaigns";
import { campaignDailyAnalytics, instantlyPages, listLeadsPage } from "../resources";
import { instantlySandboxBaseUrl } from "./base-url";
import { connectedInstantlyWebhookSecret, INSTANTLY_WEBHOOK_HEADER } from "../webhooks/secret";
import { disableInstantlySandboxWebhook, handleInstantlySandboxRequest, instantlySandboxWebhooks } from "./handler";
import { sampleCampaigns, sampleLeads, sandboxCampaignId, SANDBOX_WINDOW_DAYS } from "./sample-data";

/**
 * The Instantly sandbox as the app serves it (the route strips /api/sandbox/instantly), at
 * APP_URL: set before anything reads the environment, which is parsed once per process.
 */
const ROUTE = "/api/sandbox/instantly";
const served = await serveWebHandler((request) =>
  handleInstantlySandboxRequest(request, new URL(request.url).pathname.slice(ROUTE.length)),
);
process.env.APP_URL = served.url;

let fx: TenancyFixture;
const actor = (m: TenancyMember, workspaceId: string) => ({ workspaceId, userId: m.id, role: m.role });
const key = () => mintSandboxKey("instantly", fx.a.id, env().ENCRYPTION_KEY);
const sandboxClient = (apiKey: string) =>
  createInstantlyClient({
    apiKey,
    baseUrl: instantlySandboxBaseUrl(),
    policy: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, timeoutMs: 5_000 },
  });

beforeAll(async () => {
  expect(instantlySandboxBaseUrl()).toBe(`${served.url}/api/sandbox/instantly/api/v2`);
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await served.close();
});

describe("the Instantly sandbox", () => {
  it("answers the same client code as Instantly does, for the key this server minted only", async () => {
    await checkInstantlyKey(sandboxClient(key()));
    const refused = await checkInstantlyKey(sandboxClient(mintSandboxKey("apollo", fx.a.id, env().ENCRYPTION_KEY))).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(VendorError);
    expect(refused).toMatchObject({
      kind: "unauthorized",
      message: expect.stringMatching(/^Instantly refused the API key \(“Invalid API key”\)/),
    });
  });

  it("serves a deterministic sample workspace in Instantly's shapes, paged as Instantly pages", async () => {
    const client = sandboxClient(key());
    const pages = [];
    for await (const page of instantlyPages((after) => listLeadsPage(client, after, 50))) pages.push(page);
    // 120 leads in pages of 50; the last page with data still carries a cursor, then an empty page ends the list.
    expect(pages.map((p) => p.items.length)).toEqual([50, 50, 20]);
    const leads = pages.flatMap((p) => p.items);
    expect(leads.map((l) => l.id)).toEqual(sampleLeads(new Date()).map((l) => l.id));
    expect(leads.every((l) => /^[a-z]+\.[a-z]+\d+@[a-z]+\.example$/.test(l.email ?? "") && l.sample_data === true)).toBe(true);
    expect(leads.filter((l) => l.status === -1).length).toBeGreaterThan(0);
    expect(leads.filter((l) => l.status === -2).length).toBeGreaterThan(0);

    const today = new Date().toISOString().slice(0, 10);
    const days = await campaignDailyAnalytics(client, sandboxCampaignId(1), { startDate: "2000-01-01", endDate: today });
    expect(days).toHaveLength(SANDBOX_WINDOW_DAYS);
    expect(days.at(-1)!.date).toBe(today);
    expect(days.reduce((sum, d) => sum + Number(d.sent), 0)).toBeGreaterThan(500);
    // The same numbers on every call: computed from the campaign and the date.
    expect(await campaignDailyAnalytics(client, sandboxCampaignId(1), { startDate: "2000-01-01", endDate: today })).toEqual(days);
    const refused = await campaignDailyAnalytics(client, sandboxCampaignId(1), { startDate: today, endDate: "2000-01-01" }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ message: expect.stringContaining("Start Date must be earlier than End Date") });
  });

  it("is connected by an admin, synced by the same job, and its bounces and replies reach the workspace's leads", async () => {
    const admin = fx.a.members.admin;
    const bounced = sampleLeads(new Date()).find((l) => l.status === -1)!;
    const [ours] = await serviceDb().execute<{ id: string }>(sql`
      insert into leads (workspace_id, first_name, email, status) values (${fx.a.id}, 'Sample', ${bounced.email}, 'contacted') returning id`);

    const account = await asUser(admin, (tx) => connectIntegrationSandbox(tx, actor(admin, fx.a.id), { vendor: "instantly" }));
    expect(account).toMatchObject({ vendor: "instantly", sandbox: true, status: "connected", keyLast4: key().slice(-4) });
    const checked = await asUser(admin, (tx) => recheckIntegrationAccount(tx, actor(admin, fx.a.id), { accountId: account.id }));
    expect(checked).toMatchObject({ status: "connected", lastError: null });
    // "Sync now" is offered for the sandbox too.
    await asUser(admin, (tx) => requestInstantlySync(tx, actor(admin, fx.a.id), { accountId: account.id }));

    const run = () =>
      new InngestTestEngine({
        function: syncInstantlyFunction,
        events: [
          {
            name: "integrations/instantly-sync.requested",
            data: { workspaceId: fx.a.id, accountId: account.id, requestedBy: null },
          } as EventPayload,
        ],
      }).execute() as Promise<{ result?: Record<string, { stored: number }>; error?: Error }>;
    const first = await run();
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({
      campaigns: { stored: 4 },
      sending_accounts: { stored: 5 },
      leads: { stored: 120 },
    });
    expect(first.result!.campaign_daily_analytics!.stored).toBeGreaterThan(60);
    expect(first.result!.emails!.stored).toBeGreaterThan(5);

    const names = await serviceDb().execute<{ name: string; days: number }>(sql`
      select c.raw->>'name' as name, (select count(*)::int from instantly_campaign_days d
        where d.workspace_id = c.workspace_id and d.campaign_id = c.instantly_id) as days
      from instantly_campaigns c where c.workspace_id = ${fx.a.id} order by c.instantly_id`);
    expect(names.map((n) => n.name)).toEqual(sampleCampaigns(new Date()).map((c) => c.name));
    expect(names[0]!.days).toBe(SANDBOX_WINDOW_DAYS);
    expect(names[3]!.days).toBe(0); // the draft has sent nothing

    const [lead] = await serviceDb().execute<{ status: string }>(sql`select status from leads where id = ${ours!.id}`);
    expect(lead!.status).toBe("bounced");
    const suppressed = await serviceDb().execute<{ value: string }>(
      sql`select value from suppressions where workspace_id = ${fx.a.id} and value = ${bounced.email}`,
    );
    expect(suppressed).toHaveLength(1);

    // The sync registered the workspace's webhook, with its secret header, for every event.
    const hooks = await instantlySandboxWebhooks(key());
    expect(hooks).toEqual([
      expect.objectContaining({
        target_hook_url: `${served.url}/api/webhooks/instantly/${fx.a.id}`,
        event_type: "all_events",
        headers: { [INSTANTLY_WEBHOOK_HEADER]: (await connectedInstantlyWebhookSecret(serviceDb(), fx.a.id))!.secret },
        status: 1,
      }),
    ]);
    // Instantly disables a webhook after failed deliveries: the next sync re-enables it, registering no second one.
    await disableInstantlySandboxWebhook(key(), hooks[0]!.id);
    expect(await instantlySandboxWebhooks(key())).toEqual([expect.objectContaining({ id: hooks[0]!.id, status: -1 })]);

    // A second sync the same day changes nothing: the ids never move.
    const second = await run();
    expect(await instantlySandboxWebhooks(key())).toEqual([expect.objectContaining({ id: hooks[0]!.id, status: 1 })]);
    expect(second.error).toBeUndefined();
    expect(second.result).toMatchObject({ campaigns: { stored: 0 }, sending_accounts: { stored: 0 }, leads: { stored: 0 } });
    const [counted] = await serviceDb().execute<{ count: number }>(
      sql`select count(*)::int as count from instantly_leads where workspace_id = ${fx.a.id}`,
    );
    expect(counted!.count).toBe(120);
  });

  it("shows the synced campaigns to the workspace's members (labelled as sample data), each with its days, and to no one else", async () => {
    const viewer = fx.a.members.viewer;
    const list = await asUser(viewer, (tx) => listSyncedInstantlyCampaigns(tx, { workspaceId: fx.a.id }));
    expect(list.map((c) => c.name)).toEqual(
      sampleCampaigns(new Date())
        .map((c) => c.name)
        .sort((a, b) => a.localeCompare(b)),
    );
    expect(list.every((c) => c.sampleData)).toBe(true);
    const first = list.find((c) => c.instantlyId === sandboxCampaignId(1))!;
    expect(first).toMatchObject({ status: 1, days: SANDBOX_WINDOW_DAYS });
    const one = await asUser(viewer, (tx) => getSyncedInstantlyCampaign(tx, { workspaceId: fx.a.id, instantlyId: sandboxCampaignId(1) }));
    expect(one!.days).toHaveLength(SANDBOX_WINDOW_DAYS);
    expect(one!.days.map((d) => d.day)).toEqual([...one!.days.map((d) => d.day)].sort());
    expect(one!.days.reduce((sum, d) => sum + d.sent, 0)).toBe(first.sent);

    // Another workspace's member, even naming A's workspace, reads nothing (RLS).
    const outsider = fx.b.members.admin;
    expect(await asUser(outsider, (tx) => listSyncedInstantlyCampaigns(tx, { workspaceId: fx.a.id }))).toEqual([]);
    expect(
      await asUser(outsider, (tx) => getSyncedInstantlyCampaign(tx, { workspaceId: fx.a.id, instantlyId: sandboxCampaignId(1) })),
    ).toBeNull();
  });

  it("keeps workspaces apart: another workspace's sandbox key reads its own, and an unknown route is Instantly's 404", async () => {
    const bKey = mintSandboxKey("instantly", fx.b.id, env().ENCRYPTION_KEY);
    await checkInstantlyKey(sandboxClient(bKey));
    const response = await fetch(`${instantlySandboxBaseUrl()}/nothing-here`, { headers: { authorization: `Bearer ${bKey}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, error: "Not Found" });
  });
});
