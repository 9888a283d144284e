import { InngestTestEngine } from "@inngest/test";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { connectIntegrationAccount, rotateIntegrationAccountKey } from "@/lib/integrations/accounts/accounts";
import { startFakeInstantly, type FakeInstantly } from "@/lib/integrations/instantly/testing/fake-instantly";
import { receiveInstantlyWebhook } from "@/lib/integrations/instantly/webhooks/receive";
import { connectedInstantlyWebhookSecret, INSTANTLY_WEBHOOK_HEADER } from "@/lib/integrations/instantly/webhooks/secret";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { syncInstantlyFunction, syncInstantlyHourlyFunction } from "./sync-instantly";

const KEY = "instantly-webhook-key-0001";
const NEW_KEY = "instantly-webhook-key-0002";
const fake: FakeInstantly = await startFakeInstantly({ keys: { [KEY]: ["all:all"], [NEW_KEY]: ["all:all"] } });
// Before anything reads the environment: env() is parsed once per process. A public APP_URL:
// on loopback a real account registers no webhook (Instantly could not deliver to it).
process.env.INSTANTLY_API_URL = fake.url;
process.env.APP_URL = "https://panel.example.test";

let fx: TenancyFixture;
let accountId: string;

/** The hourly cron's fan-out, then the sync it asked for this account, as that event would run it. */
async function hourlySync() {
  const hourly = await new InngestTestEngine({
    function: syncInstantlyHourlyFunction,
    events: [{ name: "inngest/scheduled.timer", data: { cron: "0 * * * *" }, ts: Date.now() } as EventPayload],
    steps: [{ id: "fan-out", handler: () => ({ ids: [] }) }],
  }).execute();
  const sent = (hourly.ctx.step.sendEvent as unknown as { mock: { calls: [string, { name: string; data: { accountId: string } }[]][] } })
    .mock.calls;
  const ours = sent[0]![1].find((e) => e.data.accountId === accountId);
  expect(ours).toBeDefined();
  const run = await new InngestTestEngine({ function: syncInstantlyFunction, events: [ours as EventPayload] }).execute();
  expect(run.error).toBeUndefined();
}

const webhookWrites = () => fake.requests.filter((r) => r.path.startsWith("/webhooks") && r.method !== "GET");

beforeAll(async () => {
  expect(env().APP_URL).toBe("https://panel.example.test");
  fx = await createTenancyFixture();
  fake.data.campaigns.push({ id: "c1", name: "Q4", status: 0 });
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

describe("the hourly Instantly sync keeps the workspace's webhook", () => {
  it("registers it once for all events with the secret header, and re-enables it when Instantly disabled it", async () => {
    fake.requests.length = 0;
    await hourlySync();
    const secretHeaders = { [INSTANTLY_WEBHOOK_HEADER]: (await connectedInstantlyWebhookSecret(serviceDb(), fx.a.id))!.secret };
    expect(fake.data.webhooks).toEqual([
      expect.objectContaining({
        target_hook_url: `https://panel.example.test/api/webhooks/instantly/${fx.a.id}`,
        event_type: "all_events",
        campaign: null,
        headers: secretHeaders,
        status: 1,
      }),
    ]);
    const id = fake.data.webhooks[0]!.id;

    // Instantly disables a webhook after failed deliveries (§1.10): the next hourly sync resumes it.
    Object.assign(fake.data.webhooks[0]!, { status: -1, timestamp_error: new Date().toISOString() });
    fake.requests.length = 0;
    await hourlySync();
    expect(webhookWrites().map((r) => `${r.method} ${r.path}`)).toEqual([`POST /webhooks/${id}/resume`]);
    expect(fake.data.webhooks).toEqual([expect.objectContaining({ id, status: 1, timestamp_error: null, headers: secretHeaders })]);

    // An enabled webhook with the right header: the sync only looks.
    fake.requests.length = 0;
    await hourlySync();
    expect(webhookWrites()).toEqual([]);
    expect(fake.requests.filter((r) => r.path === "/webhooks")).toHaveLength(1);

    // A header that no longer matches (ENCRYPTION_KEY rotated) is put right on the same webhook.
    fake.data.webhooks[0]!.headers = { [INSTANTLY_WEBHOOK_HEADER]: "an-old-secret" };
    fake.requests.length = 0;
    await hourlySync();
    expect(webhookWrites()).toEqual([
      expect.objectContaining({ method: "PATCH", path: `/webhooks/${id}`, body: { headers: secretHeaders } }),
    ]);
    expect(fake.data.webhooks).toEqual([expect.objectContaining({ id, status: 1, headers: secretHeaders })]);
  });

  it("never fails the sync when Instantly refuses the webhook calls (a plan without webhooks): the data is still synced", async () => {
    fake.fail({
      path: "/webhooks",
      method: "GET",
      status: 402,
      headers: { "content-type": "application/json" },
      body: '{"message":"Payment Required"}',
    });
    fake.requests.length = 0;
    await hourlySync();
    expect(fake.requests.some((r) => r.path === "/campaigns")).toBe(true);
    expect(webhookWrites()).toEqual([]);
  });

  it("binds the header to the saved key: after a new key only the new header is accepted, and the sync writes it to the webhook", async () => {
    // Anyone holding the old key could read the header back from GET /webhooks: a new key must make it worthless.
    const oldSecret = (await connectedInstantlyWebhookSecret(serviceDb(), fx.a.id))!.secret;
    await hourlySync();
    const id = fake.data.webhooks[0]!.id;
    expect(fake.data.webhooks[0]!.headers).toEqual({ [INSTANTLY_WEBHOOK_HEADER]: oldSecret });

    const admin = fx.a.members.admin;
    await asUser(admin, (tx) =>
      rotateIntegrationAccountKey(tx, { workspaceId: fx.a.id, userId: admin.id, role: "admin" }, { accountId, apiKey: NEW_KEY }),
    );
    const newSecret = (await connectedInstantlyWebhookSecret(serviceDb(), fx.a.id))!.secret;
    expect(newSecret).not.toBe(oldSecret);

    const deliver = (secret: string) =>
      receiveInstantlyWebhook(
        new Request(`https://panel.example.test/api/webhooks/instantly/${fx.a.id}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.77", [INSTANTLY_WEBHOOK_HEADER]: secret },
          body: JSON.stringify({ timestamp: new Date().toISOString(), event_type: "email_opened", lead_email: "nobody@example.com" }),
        }),
        fx.a.id,
      );
    expect((await deliver(oldSecret)).status).toBe(401);
    expect((await deliver(newSecret)).status).toBe(200);

    fake.requests.length = 0;
    await hourlySync();
    expect(webhookWrites()).toEqual([
      expect.objectContaining({ method: "PATCH", path: `/webhooks/${id}`, body: { headers: { [INSTANTLY_WEBHOOK_HEADER]: newSecret } } }),
    ]);
  });
});
