import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { jobEvents } from "@/db/schema";
import { approveCampaign } from "@/lib/campaigns/approval/approve-campaign";
import { campaignContent } from "@/lib/campaigns/content-hash";
import { launchCampaign } from "@/lib/campaigns/lifecycle/launch-campaign";
import { pauseCampaign } from "@/lib/campaigns/lifecycle/pause-campaign";
import { env } from "@/lib/env";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { createInstantlyClient } from "@/lib/integrations/instantly/client";
import { getInstantlyDelivery } from "@/lib/integrations/instantly/push/delivery";
import { instantlyStandingOf } from "@/lib/integrations/instantly/push/enroll-pushed-leads";
import { instantlyCampaignName } from "@/lib/integrations/instantly/push/push-campaign";
import { addLeadsToCampaign } from "@/lib/integrations/instantly/resources";
import { instantlySandboxBaseUrl } from "@/lib/integrations/instantly/sandbox/base-url";
import { handleInstantlySandboxRequest, instantlySandboxPushes } from "@/lib/integrations/instantly/sandbox/handler";
import { sampleCampaigns } from "@/lib/integrations/instantly/sandbox/sample-data";
import { mintSandboxKey } from "@/lib/integrations/sandbox/sandbox-key";
import { createTestCampaign, submitTestCampaign } from "@/tests/fixtures/submitted-campaign";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { mirrorToInstantlyFunction, pushToInstantlyFunction } from "./push-to-instantly";
import { syncInstantlyFunction } from "./sync-instantly";

/**
 * Issue 14's "try the whole flow on a fresh machine" for Instantly: a campaign launched through
 * Instantly connected as the sandbox is pushed by the real push job to the app's own sandbox
 * (served at APP_URL, set before anything reads the environment), and the next sync shows it.
 */
const ROUTE = "/api/sandbox/instantly";
const served = await serveWebHandler((request) =>
  handleInstantlySandboxRequest(request, new URL(request.url).pathname.slice(ROUTE.length)),
);
process.env.APP_URL = served.url;

let fx: TenancyFixture;
let accountId: string;
const db = () => serviceDb();
const admin = () => fx.a.members.admin;
const rep = () => fx.a.members.sales_rep;
const actor = () => ({ userId: admin().id, workspaceId: fx.a.id, role: "admin" as const });
const key = () => mintSandboxKey("instantly", fx.a.id, env().ENCRYPTION_KEY);

async function approvedCampaign() {
  const { campaignId } = await createTestCampaign(fx.a.id, rep(), { submit: false });
  await db().execute(sql`update public.campaigns set audience = ${JSON.stringify({ kind: "filter", query: "country=FR" })}::jsonb
    where id = ${campaignId}`);
  await submitTestCampaign(rep(), campaignId);
  const content = await campaignContent(db(), campaignId);
  await asUser(admin(), (tx) =>
    approveCampaign(
      tx,
      { userId: admin().id, current: { workspaceId: fx.a.id, role: "admin" } },
      { campaignId, reviewedHash: content!.hash },
    ),
  );
  return campaignId;
}

async function latestEvent(name: string, campaignId: string) {
  const [event] = await db()
    .select({ data: jobEvents.data })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, name), sql`${jobEvents.data}->>'campaignId' = ${campaignId}`))
    .orderBy(sql`${jobEvents.createdAt} desc`)
    .limit(1);
  expect(event).toBeDefined();
  return event!.data as Record<string, unknown>;
}

const execute = <T>(fn: ConstructorParameters<typeof InngestTestEngine>[0]["function"], name: string, data: Record<string, unknown>) =>
  new InngestTestEngine({ function: fn, events: [{ name, data } as EventPayload] }).execute() as Promise<{ result?: T; error?: Error }>;

beforeAll(async () => {
  expect(instantlySandboxBaseUrl()).toBe(`${served.url}/api/sandbox/instantly/api/v2`);
  fx = await createTenancyFixture(db());
  const account = await asUser(admin(), (tx) => connectIntegrationSandbox(tx, actor(), { vendor: "instantly" }));
  accountId = account.id;
  await db().execute(sql`
    insert into public.leads (workspace_id, first_name, email, title, country)
    select ${fx.a.id}, 'Zoë ' || g, 'sandbox-lead' || g || '@example.test', 'Owner', 'FR' from generate_series(1, 7) g`);
  await db().execute(sql`update public.workspaces set time_zone = 'America/New_York' where id = ${fx.a.id}`);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
  await served.close();
});

describe("launching through Instantly connected as the sandbox", () => {
  it("pushes the approved campaign to the sandbox, which keeps it, and the next sync lists it", async () => {
    const campaignId = await approvedCampaign();
    // The launch dialog offers Instantly, labelled as the sandbox.
    expect(await asUser(admin(), (tx) => getInstantlyDelivery(tx, fx.a.id, campaignId))).toMatchObject({
      instantlyConnected: true,
      instantlySandbox: true,
    });
    await asUser(admin(), (tx) => launchCampaign(tx, actor(), { campaignId, deliverThrough: "instantly" }));

    const pushed = await execute<{ instantlyCampaignId: string; leads: number; status: string }>(
      pushToInstantlyFunction,
      "integrations/instantly-push.requested",
      await latestEvent("integrations/instantly-push.requested", campaignId),
    );
    expect(pushed.error).toBeUndefined();
    expect(pushed.result).toMatchObject({ leads: 7, status: "active" });

    const [campaignRow] = await db().execute<{ name: string }>(sql`select name from public.campaigns where id = ${campaignId}`);
    const name = instantlyCampaignName(campaignRow!.name, campaignId);
    let sandbox = await instantlySandboxPushes(key());
    expect(sandbox.campaigns).toEqual([
      expect.objectContaining({ id: pushed.result!.instantlyCampaignId, name, status: 1, sample_data: true }),
    ]);
    expect(sandbox.leads.map((l) => l.email).sort()).toEqual(
      Array.from({ length: 7 }, (_, i) => `sandbox-lead${i + 1}@example.test`).sort(),
    );
    expect(sandbox.leads.every((l) => l.campaign === pushed.result!.instantlyCampaignId)).toBe(true);

    // A batch sent again (its first answer lost) adds nobody twice: the sandbox answers the
    // push's lookup by address with the leads already in the campaign.
    const client = createInstantlyClient({ apiKey: key(), baseUrl: instantlySandboxBaseUrl() });
    const standing = await instantlyStandingOf(
      db(),
      client,
      { workspaceId: fx.a.id, instantlyCampaignId: pushed.result!.instantlyCampaignId },
      ["sandbox-lead1@example.test", "someone-new@example.test"],
    );
    expect([...standing.here.keys()]).toEqual(["sandbox-lead1@example.test"]);
    expect(standing.here.get("sandbox-lead1@example.test")).toBe(sandbox.leads.find((l) => l.email === "sandbox-lead1@example.test")!.id);
    sandbox = await instantlySandboxPushes(key());
    expect(sandbox.leads).toHaveLength(7);

    // Pausing here pauses it in the sandbox.
    await asUser(admin(), (tx) => pauseCampaign(tx, actor(), { campaignId, reason: "Trying the sandbox" }));
    const mirrored = await execute<{ mirrored: boolean; status: string }>(
      mirrorToInstantlyFunction,
      "integrations/instantly-mirror.requested",
      await latestEvent("integrations/instantly-mirror.requested", campaignId),
    );
    expect(mirrored.result).toEqual({ mirrored: true, status: "paused" });
    sandbox = await instantlySandboxPushes(key());
    expect(sandbox.campaigns[0]!.status).toBe(2);

    // The next sync lists it among the sample campaigns.
    const synced = await execute<Record<string, { stored: number }>>(syncInstantlyFunction, "integrations/instantly-sync.requested", {
      workspaceId: fx.a.id,
      accountId,
      requestedBy: null,
    });
    expect(synced.error).toBeUndefined();
    const rows = await db().execute<{ instantly_id: string; name: string; status: number }>(sql`
      select instantly_id, raw->>'name' as name, (raw->>'status')::int as status from public.instantly_campaigns
      where workspace_id = ${fx.a.id} order by raw->>'name'`);
    expect(rows).toHaveLength(sampleCampaigns(new Date()).length + 1);
    expect(rows).toContainEqual({ instantly_id: pushed.result!.instantlyCampaignId, name, status: 2 });
    // The pushed leads are listed back by the sandbox, and each enrollment carries the sandbox's id for its lead.
    const leadRows = await db().execute<{ instantly_id: string; email: string }>(sql`
      select instantly_id, email from public.instantly_leads
      where workspace_id = ${fx.a.id} and raw->>'campaign' = ${pushed.result!.instantlyCampaignId}`);
    expect(leadRows.map((r) => r.email).sort()).toEqual(sandbox.leads.map((l) => l.email).sort());
    const enrolled = await db().execute<{ instantly_lead_id: string; email: string; status: string }>(sql`
      select e.instantly_lead_id, lower(l.email) as email, e.status from public.campaign_enrollments e
      join public.leads l on l.id = e.lead_id where e.campaign_id = ${campaignId}`);
    expect(enrolled).toHaveLength(7);
    const idOf = new Map(sandbox.leads.map((l) => [l.email, l.id]));
    expect(enrolled.every((e) => e.status === "active" && e.instantly_lead_id === idOf.get(e.email))).toBe(true);
  });

  it("refuses a campaign in a time zone Instantly lacks, and leads for a campaign it does not have, as Instantly does", async () => {
    const client = createInstantlyClient({
      apiKey: key(),
      baseUrl: instantlySandboxBaseUrl(),
      policy: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, timeoutMs: 5_000 },
    });
    const base = `${instantlySandboxBaseUrl()}`;
    const headers = { authorization: `Bearer ${key()}`, "content-type": "application/json" };
    const badZone = await fetch(`${base}/campaigns`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "X", campaign_schedule: { schedules: [{ timezone: "Mars/Olympus" }] } }),
    });
    expect(badZone.status).toBe(400);
    expect(await badZone.json()).toMatchObject({
      message: "body/campaign_schedule/schedules/0/timezone must be equal to one of the allowed values",
    });
    const noCampaign = await addLeadsToCampaign(client, "no-such-campaign", [{ email: "a@example.test", custom_variables: {} }]).catch(
      (e: unknown) => e,
    );
    expect(noCampaign).toMatchObject({ message: expect.stringMatching(/HTTP 404/) });
    // Another workspace's sandbox sees none of it.
    const other = mintSandboxKey("instantly", fx.b.id, env().ENCRYPTION_KEY);
    const listed = await fetch(`${base}/campaigns?limit=100`, { headers: { authorization: `Bearer ${other}` } });
    expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(sampleCampaigns(new Date()).length);
  });
});
