import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import {
  connectIntegrationAccount,
  disconnectIntegrationAccount,
  listIntegrationAccounts,
  rotateIntegrationAccountKey,
  type IntegrationActor,
} from "@/lib/integrations/accounts/accounts";
import { recheckIntegrationAccount } from "@/lib/integrations/accounts/integration-key";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { readInstantlyCursor, writeInstantlyCursor } from "./raw-store";
import { requestInstantlySync } from "./request-sync";
import { startFakeInstantly } from "./testing/fake-instantly";

const KEY = "instantly-Key-aaaa1111";
const OTHER = "instantly-Key-bbbb2222";
const NO_CAMPAIGNS = "instantly-Key-leads-only";
// Started before anything reads the environment: env() is parsed once per process.
const fake = await startFakeInstantly({ keys: { [KEY]: ["all:all"], [OTHER]: ["all:read"], [NO_CAMPAIGNS]: ["leads:read"] } });
process.env.INSTANTLY_API_URL = fake.url;

let fx: TenancyFixture;
const actor = (member: TenancyMember, workspaceId: string): IntegrationActor => ({ workspaceId, userId: member.id, role: member.role });

/** The Instantly syncs asked for in workspace A, oldest first. */
async function syncRequests(): Promise<Record<string, unknown>[]> {
  const events = await serviceDb().execute<{ data: Record<string, unknown> }>(sql`
    select data from public.job_events where name = 'integrations/instantly-sync.requested' and workspace_id = ${fx.a.id}
    order by created_at, id`);
  return events.map((e) => e.data);
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  expect(env().INSTANTLY_API_URL).toBe(fake.url);
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});

describe("connecting Instantly", () => {
  const admin = () => fx.a.members.admin;
  const connect = (apiKey: string) =>
    asUser(admin(), (tx) => connectIntegrationAccount(tx, actor(admin(), fx.a.id), { vendor: "instantly", apiKey }));

  it("refuses a wrong key with Instantly's reason, after asking Instantly, and saves nothing", async () => {
    const error = await refusal(connect("wrong-instantly-key"));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe(
      "Instantly refused the API key (“Invalid API key”). Create or copy an API v2 key in Instantly (Settings → Integrations → API Keys) and save it here (v1 keys do not work). Nothing was saved.",
    );
    expect(error.fieldErrors?.apiKey?.[0]).toMatch(/^Instantly refused the API key/);
    expect(fake.requests.at(-1)).toMatchObject({ path: "/campaigns", authorization: "Bearer wrong-instantly-key" });
    expect(await asUser(admin(), (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }))).toEqual([]);
  });

  it("refuses a key without the campaigns scope, naming it", async () => {
    const error = await refusal(connect(NO_CAMPAIGNS));
    expect(error.message).toContain("it needs the scope campaigns:read (or all:read)");
  });

  it("connects a working key, rotates to another checked one, and rechecks it", async () => {
    const view = await connect(KEY);
    expect(view).toMatchObject({ vendor: "instantly", keyLast4: "1111", status: "connected", sandbox: false });
    const rotated = await asUser(admin(), (tx) =>
      rotateIntegrationAccountKey(tx, actor(admin(), fx.a.id), { accountId: view.id, apiKey: OTHER }),
    );
    expect(rotated.keyLast4).toBe("2222");
    expect(fake.requests.at(-1)).toMatchObject({ path: "/campaigns", authorization: `Bearer ${OTHER}` });
    // A rotated key has its sync asked for at once (its first step gives the webhook the new key's header).
    expect(await syncRequests()).toEqual([{ workspaceId: fx.a.id, accountId: view.id, requestedBy: admin().id }]);
    fake.fail({ status: 401, body: '{"statusCode":401,"error":"Unauthorized","message":"Invalid API key"}' });
    const failing = await asUser(admin(), (tx) => recheckIntegrationAccount(tx, actor(admin(), fx.a.id), { accountId: view.id }));
    expect(failing).toMatchObject({ status: "failing", lastError: expect.stringMatching(/^Instantly refused the API key/) });
    const again = await asUser(admin(), (tx) => recheckIntegrationAccount(tx, actor(admin(), fx.a.id), { accountId: view.id }));
    expect(again).toMatchObject({ status: "connected", lastError: null });
  });
});

describe("Sync now", () => {
  it("queues the sync of the workspace's Instantly account after the commit, for admins only, with clear refusals", async () => {
    const admin = fx.a.members.admin;
    const [account] = await asUser(admin, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    expect(account?.vendor).toBe("instantly");
    const before = (await syncRequests()).length;
    const queued = await asUser(admin, (tx) => requestInstantlySync(tx, actor(admin, fx.a.id), { accountId: account!.id }));
    expect(queued).toEqual({ accountId: account!.id, queued: true });
    expect((await syncRequests()).slice(before)).toEqual([{ workspaceId: fx.a.id, accountId: account!.id, requestedBy: admin.id }]);

    const manager = fx.a.members.manager;
    const byManager = await refusal(asUser(manager, (tx) => requestInstantlySync(tx, actor(manager, fx.a.id), { accountId: account!.id })));
    expect(byManager).toMatchObject({
      code: "forbidden",
      message: "Only an admin can manage integrations. Ask an admin of this workspace.",
    });
    const bAdmin = fx.b.members.admin;
    const elsewhere = await refusal(asUser(bAdmin, (tx) => requestInstantlySync(tx, actor(bAdmin, fx.b.id), { accountId: account!.id })));
    expect(elsewhere.code).toBe("not_found");
  });
});

describe("the sync's cursors", () => {
  const cursors = (workspaceId: string) =>
    withServiceTx(async (tx) => ({
      leads: await readInstantlyCursor(tx, workspaceId, "leads"),
      emails: await readInstantlyCursor(tx, workspaceId, "emails"),
      days: await readInstantlyCursor(tx, workspaceId, "campaign_daily_analytics"),
    }));
  const advance = (workspaceId: string, at: string) =>
    withServiceTx(async (tx) => {
      await writeInstantlyCursor(tx, workspaceId, "leads", `lead-${at}`);
      await writeInstantlyCursor(tx, workspaceId, "emails", `2026-11-${at}T10:00:00Z`);
      await writeInstantlyCursor(tx, workspaceId, "campaign_daily_analytics", `2026-11-${at}`);
    });
  const positioned = (at: string) => ({ leads: `lead-${at}`, emails: `2026-11-${at}T10:00:00Z`, days: `2026-11-${at}` });
  const none = { leads: undefined, emails: undefined, days: undefined };

  it("belong to the key that reached them: a new key or a disconnect forgets them, a recheck or another workspace's key does not", async () => {
    // Resuming a new Instantly account (the sandbox swapped for a real key) from the old one's
    // positions would skip every lead and reply older than them.
    const bAdmin = fx.b.members.admin;
    const b = actor(bAdmin, fx.b.id);
    const view = await asUser(bAdmin, (tx) => connectIntegrationAccount(tx, b, { vendor: "instantly", apiKey: KEY }));
    await advance(fx.a.id, "20");
    await advance(fx.b.id, "21");

    await asUser(bAdmin, (tx) => recheckIntegrationAccount(tx, b, { accountId: view.id }));
    expect(await cursors(fx.b.id)).toEqual(positioned("21"));

    await asUser(bAdmin, (tx) => rotateIntegrationAccountKey(tx, b, { accountId: view.id, apiKey: OTHER }));
    expect(await cursors(fx.b.id)).toEqual(none);
    expect(await cursors(fx.a.id)).toEqual(positioned("20"));

    await advance(fx.b.id, "22");
    await asUser(bAdmin, (tx) => disconnectIntegrationAccount(tx, b, { accountId: view.id }));
    expect(await cursors(fx.b.id)).toEqual(none);

    await advance(fx.b.id, "23"); // a sync that was already running when the key went
    await asUser(bAdmin, (tx) => connectIntegrationAccount(tx, b, { vendor: "instantly", apiKey: KEY }));
    expect(await cursors(fx.b.id)).toEqual(none);
    expect(await cursors(fx.a.id)).toEqual(positioned("20"));
  });
});
