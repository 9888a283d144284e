import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { env } from "@/lib/env";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { sampleCampaigns } from "../instantly/sandbox/sample-data";
import { SAMPLE_AGENTS } from "../phantombuster/sandbox/sample-agents";
import { mintSandboxKey } from "./sandbox-key";

/**
 * The sandboxes keep what a user does in them in PostgreSQL: a handler loaded afresh (as after a
 * restart of the app, or in another process: the job executor beside Next) serves the same
 * sandbox, and one workspace's sandbox never shows another's.
 */
type InstantlyHandler = typeof import("../instantly/sandbox/handler");
type PhantomBusterHandler = typeof import("../phantombuster/sandbox/handler");

/** The handlers' modules loaded again from scratch: nothing they kept in memory survives. */
async function freshHandlers() {
  vi.resetModules();
  const instantly: InstantlyHandler = await import("../instantly/sandbox/handler");
  const phantombuster: PhantomBusterHandler = await import("../phantombuster/sandbox/handler");
  return { instantly, phantombuster };
}

let fx: TenancyFixture;
const instantlyKey = (workspaceId: string) => mintSandboxKey("instantly", workspaceId, env().ENCRYPTION_KEY);
const phantomKey = (workspaceId: string) => mintSandboxKey("phantombuster", workspaceId, env().ENCRYPTION_KEY);

/** One request to the Instantly sandbox, as the client sends it. */
async function instantly(handlers: { instantly: InstantlyHandler }, workspaceId: string, method: string, path: string, body?: unknown) {
  const request = new Request(`http://sandbox.test/api/sandbox/instantly/api/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${instantlyKey(workspaceId)}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await handlers.instantly.handleInstantlySandboxRequest(request, `/api/v2${path}`.split("?")[0]!);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] } };
}

async function phantom(
  handlers: { phantombuster: PhantomBusterHandler },
  workspaceId: string,
  method: string,
  path: string,
  now: number,
  body?: unknown,
) {
  const request = new Request(`http://sandbox.test/api/sandbox/phantombuster/api/v2${path}`, {
    method,
    headers: { "x-phantombuster-key": phantomKey(workspaceId), "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await handlers.phantombuster.handlePhantomBusterSandboxRequest(request, `/api/v2${path}`.split("?")[0]!, now);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const schedule = {
  schedules: [{ name: "Weekdays", timing: { from: "09:00", to: "17:00" }, days: { 1: true }, timezone: "Europe/Belgrade" }],
};

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, serviceDb());
});

describe("the sandboxes' state", () => {
  it("survives the handlers' modules being loaded afresh: a pushed campaign, its leads and status, a webhook, an agent's launch", async () => {
    const first = await freshHandlers();
    const created = await instantly(first, fx.a.id, "POST", "/campaigns", { name: "Kept across restarts", campaign_schedule: schedule });
    expect(created).toMatchObject({ status: 200, body: { name: "Kept across restarts", status: 0, sample_data: true } });
    const campaignId = String(created.body.id);
    const added = await instantly(first, fx.a.id, "POST", "/leads/add", {
      campaign_id: campaignId,
      leads: [{ email: "Kept@Example.test", first_name: "Kept" }, { email: "also-kept@example.test" }],
      skip_if_in_campaign: true,
    });
    expect(added.body).toMatchObject({ leads_uploaded: 2, skipped_count: 0 });
    expect((await instantly(first, fx.a.id, "POST", `/campaigns/${campaignId}/activate`)).body).toMatchObject({ status: 1 });
    const hook = await instantly(first, fx.a.id, "POST", "/webhooks", {
      target_hook_url: "https://app.example/hook",
      event_type: "all_events",
    });
    expect(hook.status).toBe(200);
    const now = Date.now();
    const launched = await phantom(first, fx.a.id, "POST", "/agents/launch", now, { id: SAMPLE_AGENTS[0]!.id });
    const containerId = String(launched.body.containerId);
    expect(containerId).toMatch(/^\d+$/);

    // As after `npm run dev` is restarted, or in the executor's process beside Next's.
    const fresh = await freshHandlers();
    expect(fresh.instantly.handleInstantlySandboxRequest).not.toBe(first.instantly.handleInstantlySandboxRequest);
    const campaigns = await instantly(fresh, fx.a.id, "GET", "/campaigns?limit=100");
    expect(campaigns.body.items).toHaveLength(sampleCampaigns(new Date()).length + 1);
    expect(campaigns.body.items).toContainEqual(expect.objectContaining({ id: campaignId, name: "Kept across restarts", status: 1 }));
    expect((await instantly(fresh, fx.a.id, "GET", `/campaigns/${campaignId}`)).body).toMatchObject({ id: campaignId, status: 1 });
    const leads = await instantly(fresh, fx.a.id, "POST", "/leads/list", { campaign: campaignId });
    expect(leads.body.items!.map((l) => l.email).sort()).toEqual(["also-kept@example.test", "kept@example.test"]);
    // The same batch again adds nobody: the sandbox remembers who is in the campaign.
    const again = await instantly(fresh, fx.a.id, "POST", "/leads/add", {
      campaign_id: campaignId,
      leads: [{ email: "kept@example.test" }],
      skip_if_in_campaign: true,
    });
    expect(again.body).toMatchObject({ leads_uploaded: 0, skipped_count: 1 });
    expect((await instantly(fresh, fx.a.id, "GET", "/webhooks")).body.items).toEqual([
      expect.objectContaining({ id: hook.body.id, target_hook_url: "https://app.example/hook", status: 1 }),
    ]);
    const container = await phantom(fresh, fx.a.id, "GET", `/containers/fetch?id=${containerId}`, now + 60_000);
    expect(container).toMatchObject({ status: 200, body: { id: containerId, agentId: SAMPLE_AGENTS[0]!.id, status: "finished" } });
    expect((await phantom(fresh, fx.a.id, "GET", `/agents/fetch-output?id=${SAMPLE_AGENTS[0]!.id}`, now + 60_000)).body).toMatchObject({
      containerId,
      status: "finished",
    });
  });

  it("never shows one workspace's sandbox to another, whose key reaches none of it", async () => {
    const handlers = await freshHandlers();
    const [ownCampaign] = (await instantly(handlers, fx.a.id, "GET", "/campaigns?search=Kept across restarts")).body.items!;
    const campaignId = String(ownCampaign!.id);
    const [ownHook] = (await instantly(handlers, fx.a.id, "GET", "/webhooks")).body.items!;

    const b = fx.b.id;
    const listed = await instantly(handlers, b, "GET", "/campaigns?limit=100");
    expect(listed.body.items!.map((c) => c.id)).toEqual(sampleCampaigns(new Date()).map((c) => c.id));
    expect((await instantly(handlers, b, "GET", `/campaigns/${campaignId}`)).status).toBe(404);
    expect((await instantly(handlers, b, "POST", `/campaigns/${campaignId}/pause`)).status).toBe(404);
    expect(
      (await instantly(handlers, b, "POST", "/leads/add", { campaign_id: campaignId, leads: [{ email: "intruder@example.test" }] })).status,
    ).toBe(404);
    expect((await instantly(handlers, b, "POST", "/leads/list", { campaign: campaignId })).body.items).toEqual([]);
    expect((await instantly(handlers, b, "POST", "/leads/list", { contacts: ["kept@example.test"] })).body.items).toEqual([]);
    expect((await instantly(handlers, b, "GET", "/webhooks")).body.items).toEqual([]);
    expect((await instantly(handlers, b, "DELETE", `/webhooks/${String(ownHook!.id)}`)).status).toBe(404);
    // B's own push lives beside A's, unseen by A.
    const bCampaign = await instantly(handlers, b, "POST", "/campaigns", { name: "B's own", campaign_schedule: schedule });
    expect((await instantly(handlers, fx.a.id, "GET", `/campaigns/${String(bCampaign.body.id)}`)).status).toBe(404);

    // A's campaign, webhook and leads are untouched by all of B's attempts.
    expect((await instantly(handlers, fx.a.id, "GET", `/campaigns/${campaignId}`)).body).toMatchObject({ status: 1 });
    expect((await instantly(handlers, fx.a.id, "GET", "/webhooks")).body.items).toHaveLength(1);
    expect((await instantly(handlers, fx.a.id, "POST", "/leads/list", { campaign: campaignId })).body.items).toHaveLength(2);

    // PhantomBuster: A's launch is no container of B's, and B's agents are at their sample state.
    const [launch] = await serviceDb().execute<{ id: string }>(sql`
      select id from private.integration_sandbox_state where workspace_id = ${fx.a.id} and vendor = 'phantombuster' and kind = 'launch'`);
    const later = Date.now() + 60_000;
    expect((await phantom(handlers, b, "GET", `/containers/fetch?id=${launch!.id}`, later)).status).toBe(404);
    const bLatest = await phantom(handlers, b, "GET", `/agents/fetch-output?id=${SAMPLE_AGENTS[0]!.id}`, later);
    expect(bLatest.body.containerId).not.toBe(launch!.id);
  });

  it("adds a lead once when the same batch arrives twice at the same moment (two processes retrying)", async () => {
    const handlers = await freshHandlers();
    const created = await instantly(handlers, fx.a.id, "POST", "/campaigns", { name: "Raced", campaign_schedule: schedule });
    const batch = { campaign_id: created.body.id, leads: [{ email: "raced@example.test" }], skip_if_in_workspace: true };
    const answers = await Promise.all([1, 2, 3].map(() => instantly(handlers, fx.a.id, "POST", "/leads/add", batch)));
    expect(answers.map((a) => a.body.leads_uploaded).sort()).toEqual([0, 0, 1]);
    const listed = await instantly(handlers, fx.a.id, "POST", "/leads/list", { contacts: ["raced@example.test"] });
    expect(listed.body.items).toHaveLength(1);
  });

  it("is out of reach of a user's session (service only: RLS forced, no policy, no grant), and leaves with its workspace", async () => {
    const claims = { sub: fx.a.members.admin.id, role: "authenticated" as const };
    const denied = { cause: expect.objectContaining({ code: "42501" }) }; // insufficient_privilege
    await expect(withUserTx(claims, (tx) => tx.execute(sql`select count(*) from private.integration_sandbox_state`))).rejects.toMatchObject(
      denied,
    );
    await expect(
      withUserTx(claims, (tx) =>
        tx.execute(sql`insert into private.integration_sandbox_state (workspace_id, vendor, kind, id, payload)
          values (${fx.a.id}, 'instantly', 'campaign', ${randomUUID()}, '{}')`),
      ),
    ).rejects.toMatchObject(denied);
    const [row] = await serviceDb().execute<{ rls: boolean; forced: boolean; policies: number }>(sql`
      select c.relrowsecurity as rls, c.relforcerowsecurity as forced, (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'private' and c.relname = 'integration_sandbox_state'`);
    expect(row).toEqual({ rls: true, forced: true, policies: 0 });

    // A workspace that is gone has no sandbox: its rows go with it, and its (still signed) key adds nothing.
    const [gone] = await serviceDb().execute<{ id: string }>(
      sql`insert into public.workspaces (name, slug) values ('Gone', ${`gone-${randomUUID().slice(0, 8)}`}) returning id`,
    );
    const handlers = await freshHandlers();
    const kept = await instantly(handlers, gone!.id, "POST", "/campaigns", { name: "Soon gone", campaign_schedule: schedule });
    expect(kept.status).toBe(200);
    await serviceDb().execute(sql`delete from public.workspaces where id = ${gone!.id}`);
    const [left] = await serviceDb().execute<{ count: number }>(
      sql`select count(*)::int as count from private.integration_sandbox_state where workspace_id = ${gone!.id}`,
    );
    expect(left!.count).toBe(0);
    const refused = await instantly(handlers, gone!.id, "POST", "/campaigns", { name: "After", campaign_schedule: schedule });
    expect(refused).toMatchObject({ status: 401, body: { message: "Invalid API key" } });
  });
});
