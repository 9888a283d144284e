import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, integrationAccounts, jobEvents } from "@/db/schema";
import { syncInstantlyFunction } from "@/inngest/functions/integrations/sync-instantly";
import { disconnectIntegrationAccount } from "@/lib/integrations/accounts/accounts";
import { handleInstantlySandboxRequest } from "@/lib/integrations/instantly/sandbox/handler";
import { sampleCampaigns, sampleReceivedEmails, SANDBOX_WINDOW_DAYS } from "@/lib/integrations/instantly/sandbox/sample-data";
import { getLeadRecord } from "@/lib/leads/get-lead";
import { leadSampleOrigin } from "@/lib/leads/lead-sample-origin";
import { listLeads } from "@/lib/leads/list-leads";
import { DEFAULT_LEAD_LIST_STATE } from "@/lib/leads/list-state";
import { getSyncedInstantlyCampaign, listSyncedInstantlyCampaigns } from "@/lib/integrations/instantly/synced-campaigns";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { seedDemoSandboxes } from "./seed-sandboxes";

/** The Instantly sandbox as the app serves it, at APP_URL (set before anything reads the environment). */
const ROUTE = "/api/sandbox/instantly";
const served = await serveWebHandler((request) =>
  handleInstantlySandboxRequest(request, new URL(request.url).pathname.slice(ROUTE.length)),
);
process.env.APP_URL = served.url;

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, serviceDb());
  await served.close();
});

const accountsOf = (workspaceId: string) =>
  serviceDb()
    .select({
      id: integrationAccounts.id,
      vendor: integrationAccounts.vendor,
      status: integrationAccounts.status,
      sandbox: integrationAccounts.sandbox,
    })
    .from(integrationAccounts)
    .where(eq(integrationAccounts.workspaceId, workspaceId))
    .orderBy(integrationAccounts.vendor);

const syncEvents = (workspaceId: string) =>
  serviceDb()
    .select({ data: jobEvents.data })
    .from(jobEvents)
    .where(and(eq(jobEvents.name, "integrations/instantly-sync.requested"), sql`${jobEvents.data}->>'workspaceId' = ${workspaceId}`));

describe("the demo's sandboxes", () => {
  it("are connected for the demo workspace by its admin through the service, with a first Instantly sync queued, once", async () => {
    const where = { workspaceSlug: fx.a.slug, admin: fx.a.members.admin.email };
    expect(await seedDemoSandboxes(serviceDb(), where)).toEqual(["apollo", "instantly", "phantombuster"]);
    const accounts = await accountsOf(fx.a.id);
    expect(accounts.map(({ vendor, status, sandbox }) => ({ vendor, status, sandbox }))).toEqual([
      { vendor: "apollo", status: "connected", sandbox: true },
      { vendor: "instantly", status: "connected", sandbox: true },
      { vendor: "phantombuster", status: "connected", sandbox: true },
    ]);
    const instantly = accounts.find((a) => a.vendor === "instantly")!;
    const queued = await syncEvents(fx.a.id);
    expect(queued).toEqual([{ data: { workspaceId: fx.a.id, accountId: instantly.id, requestedBy: fx.a.members.admin.id } }]);
    const audited = await serviceDb()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), sql`${auditLog.action} like 'integration.%'`));
    expect(audited.map((a) => a.action).sort()).toEqual([
      "integration.sandbox_connected",
      "integration.sandbox_connected",
      "integration.sandbox_connected",
      "integration.sync_requested",
    ]);

    // `npm run db:seed` again: nothing changes, no second sync is queued.
    expect(await seedDemoSandboxes(serviceDb(), where)).toEqual([]);
    expect(await accountsOf(fx.a.id)).toEqual(accounts);
    expect(await syncEvents(fx.a.id)).toHaveLength(1);

    // What the executor does with that event: the Instantly page's campaigns, each with its days.
    const synced = (await new InngestTestEngine({
      function: syncInstantlyFunction,
      events: [{ name: "integrations/instantly-sync.requested", data: queued[0]!.data } as EventPayload],
    }).execute()) as { error?: Error };
    expect(synced.error).toBeUndefined();
    const viewer = fx.a.members.viewer;
    const campaigns = await asUser(viewer, (tx) => listSyncedInstantlyCampaigns(tx, { workspaceId: fx.a.id }));
    expect(campaigns).toHaveLength(sampleCampaigns(new Date()).length);
    expect(campaigns.every((c) => c.sampleData)).toBe(true);
    const first = campaigns.find((c) => c.days === SANDBOX_WINDOW_DAYS)!;
    const page = await asUser(viewer, (tx) => getSyncedInstantlyCampaign(tx, { workspaceId: fx.a.id, instantlyId: first.instantlyId }));
    expect(page!.days).toHaveLength(SANDBOX_WINDOW_DAYS);
    // The sandbox's replies come from its own invented leads: each became a lead of the workspace,
    // in the Replies inbox, and says it is sample data as the sandbox's imports do.
    const made = await serviceDb().execute<{ id: string }>(
      sql`select id from public.leads where workspace_id = ${fx.a.id} and source = 'instantly' order by id`,
    );
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBe(sampleReceivedEmails(new Date()).filter((e) => !e.is_auto_reply).length);
    const inbox = await serviceDb().execute<{ lead_id: string }>(
      sql`select lead_id from public.reply_classifications where workspace_id = ${fx.a.id} and source = 'instantly' order by lead_id`,
    );
    expect(inbox.map((r) => r.lead_id)).toEqual(made.map((r) => r.id));
    // The demo's leads table marks them, for a viewer too, and so does each lead's page.
    const table = await asUser(viewer, (tx) =>
      listLeads(tx, { workspaceId: fx.a.id, userId: viewer.id, state: { ...DEFAULT_LEAD_LIST_STATE, pageSize: 100 } }),
    );
    for (const { id } of made) {
      expect(table.rows.find((r) => r.id === id)?.sampleData).toBe("lead");
      const origin = await asUser(viewer, async (tx) =>
        leadSampleOrigin(tx, { workspaceId: fx.a.id, lead: await getLeadRecord(tx, { workspaceId: fx.a.id, leadId: id }) }),
      );
      expect(origin).toEqual({ source: "instantly", created: true, via: "import" });
    }
  });

  it("leave a vendor connected with a real key alone, and connect the sandbox again where it was disconnected", async () => {
    const where = { workspaceSlug: fx.b.slug, admin: fx.b.members.admin.email };
    expect(await seedDemoSandboxes(serviceDb(), where)).toEqual(["apollo", "instantly", "phantombuster"]);
    await serviceDb()
      .update(integrationAccounts)
      .set({ sandbox: false })
      .where(and(eq(integrationAccounts.workspaceId, fx.b.id), eq(integrationAccounts.vendor, "apollo")));
    const admin = fx.b.members.admin;
    const phantom = (await accountsOf(fx.b.id)).find((a) => a.vendor === "phantombuster")!;
    await asUser(admin, (tx) =>
      disconnectIntegrationAccount(tx, { workspaceId: fx.b.id, userId: admin.id, role: admin.role }, { accountId: phantom.id }),
    );
    expect(await seedDemoSandboxes(serviceDb(), where)).toEqual(["phantombuster"]);
    expect((await accountsOf(fx.b.id)).map(({ vendor, status, sandbox }) => ({ vendor, status, sandbox }))).toEqual([
      { vendor: "apollo", status: "connected", sandbox: false },
      { vendor: "instantly", status: "connected", sandbox: true },
      { vendor: "phantombuster", status: "connected", sandbox: true },
    ]);
    // A workspace or admin that is gone: nothing.
    expect(await seedDemoSandboxes(serviceDb(), { workspaceSlug: "no-such-workspace", admin: "nobody@example.test" })).toEqual([]);
  });
});
