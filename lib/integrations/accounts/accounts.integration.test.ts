import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { apolloClientForWorkspace } from "@/lib/integrations/apollo/client-for-account";
import { searchApolloPeople } from "@/lib/integrations/apollo/people-search";
import { startFakeApollo } from "@/lib/integrations/apollo/testing/fake-apollo";
import {
  asUser,
  createTenancyFixture,
  outcome,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import {
  connectIntegrationAccount,
  disconnectIntegrationAccount,
  listIntegrationAccounts,
  rotateIntegrationAccountKey,
  type IntegrationActor,
} from "./accounts";
import { openIntegrationKey, recheckIntegrationAccount } from "./integration-key";
import { integrationSecretKey, openSecret } from "./secret-box";

const KEY = "apollo-Secret_key-9f8e7d6c5b4a";
const NEW_KEY = "apollo-Rotated_key-1a2b3c4d5e6f";
/** A key that is not a master key: it may enrich, not search. */
const PLAIN_KEY = "apollo-Plain_key-77aa88bb";
// Started before anything reads the environment: env() is parsed once per process.
const fake = await startFakeApollo({ masterKeys: [KEY, NEW_KEY], keys: [PLAIN_KEY] });
process.env.APOLLO_API_URL = fake.url;

let fx: TenancyFixture;
const actor = (member: TenancyMember, workspaceId: string): IntegrationActor => ({ workspaceId, userId: member.id, role: member.role });
const as = <T>(
  member: TenancyMember,
  workspaceId: string,
  work: (tx: Parameters<Parameters<typeof asUser>[1]>[0], a: IntegrationActor) => Promise<T>,
) => asUser(member, (tx) => work(tx, actor(member, workspaceId)));

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Every stored column of A's accounts, and their audit entries, as the superuser reads them. */
async function storedText(workspaceId: string): Promise<string> {
  const [row] = await serviceDb().execute<{ text: string }>(sql`
    select concat_ws('|',
      (select string_agg(to_jsonb(t)::text, ',') from public.integration_accounts t where t.workspace_id = ${workspaceId}),
      (select string_agg(to_jsonb(t)::text, ',') from public.audit_log t where t.workspace_id = ${workspaceId})) as text`);
  return row!.text;
}

beforeAll(async () => {
  expect(env().APOLLO_API_URL).toBe(fake.url);
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});

describe("integration accounts", () => {
  it("refuses a wrong key with the vendor's reason, after asking Apollo, and saves nothing", async () => {
    const admin = fx.a.members.admin;
    const error = await refusal(
      as(admin, fx.a.id, (tx, a) => connectIntegrationAccount(tx, a, { vendor: "apollo", apiKey: "wrong-key-1234" })),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe(
      "Apollo refused the API key (“Invalid access credentials.”). Copy the key again from Apollo (Settings → Integrations → API keys) and save it here. Nothing was saved.",
    );
    expect(error.fieldErrors?.apiKey?.[0]).toMatch(/^Apollo refused the API key/);
    expect(fake.requests.at(-1)).toMatchObject({ path: "/auth/health", apiKey: "wrong-key-1234" });
    expect(await as(admin, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }))).toEqual([]);
  });

  it("says so when Apollo cannot be reached, and saves nothing", async () => {
    fake.fail({ status: 503 }, { status: 503 });
    const error = await refusal(
      as(fx.a.members.admin, fx.a.id, (tx, a) => connectIntegrationAccount(tx, a, { vendor: "apollo", apiKey: KEY })),
    );
    expect(error).toMatchObject({
      code: "unavailable",
      message: "Apollo is not answering properly (HTTP 503 on 2 attempts). Nothing was saved; try again later.",
    });
  });

  it("stores a checked key encrypted: the database never holds it, the answer shows ••••last4 only", async () => {
    const admin = fx.a.members.admin;
    const view = await as(admin, fx.a.id, (tx, a) => connectIntegrationAccount(tx, a, { vendor: "apollo", apiKey: KEY }));
    expect(view).toMatchObject({
      vendor: "apollo",
      keyLast4: "5b4a",
      status: "connected",
      sandbox: false,
      lastError: null,
      missingPermission: null,
    });
    expect(view.lastSuccessAt).toBeInstanceOf(Date);
    expect(JSON.stringify(view)).not.toContain(KEY);
    expect(Object.keys(view)).not.toContain("secretCiphertext");

    const stored = await storedText(fx.a.id);
    expect(stored).toContain("integration.connected");
    expect(stored).not.toContain(KEY);
    expect(stored).not.toContain(KEY.slice(0, 12));
    expect(stored).not.toContain(Buffer.from(KEY).toString("base64").slice(0, 16));
    expect(stored).not.toContain(Buffer.from(KEY).toString("hex").slice(0, 16));
    // What is stored is the key, sealed under ENCRYPTION_KEY for this workspace and vendor.
    const [row] = await serviceDb().execute<{ secret_ciphertext: string; secret_key_id: string; created_by: string; updated_by: string }>(
      sql`select secret_ciphertext, secret_key_id, created_by, updated_by from public.integration_accounts where id = ${view.id}`,
    );
    const key = integrationSecretKey(env().ENCRYPTION_KEY);
    expect(
      openSecret({ ciphertext: row!.secret_ciphertext, keyId: row!.secret_key_id }, { workspaceId: fx.a.id, vendor: "apollo" }, [key]),
    ).toBe(KEY);
    expect(row).toMatchObject({ secret_key_id: key.id, created_by: admin.id, updated_by: admin.id });
  });

  it("lets no user role read the ciphertext, not even an admin", async () => {
    for (const role of ["admin", "viewer"] as const) {
      const read = await outcome(() =>
        asUser(fx.a.members[role], (tx) => tx.execute(sql`select secret_ciphertext from public.integration_accounts`)),
      );
      expect(read, role).toBe("denied");
    }
    const statuses = await as(fx.a.members.viewer, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    expect(statuses.map((s) => [s.vendor, s.keyLast4, s.status])).toEqual([["apollo", "5b4a", "connected"]]);
  });

  it("refuses a second connection of the same vendor: rotate instead", async () => {
    const error = await refusal(
      as(fx.a.members.admin, fx.a.id, (tx, a) => connectIntegrationAccount(tx, a, { vendor: "apollo", apiKey: NEW_KEY })),
    );
    expect(error).toMatchObject({
      code: "conflict",
      message: "Apollo.io is already connected with the key ••••5b4a. Rotate the key instead, or disconnect it first.",
    });
  });

  it("refuses every lower role in the service, before calling the vendor", async () => {
    const [account] = await as(fx.a.members.admin, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    const calls = fake.requests.length;
    for (const role of ["manager", "sales_rep", "analyst", "viewer"] as const) {
      const member = fx.a.members[role];
      const attempts = [
        () => as(member, fx.a.id, (tx, a) => connectIntegrationAccount(tx, a, { vendor: "apollo", apiKey: NEW_KEY })),
        () => as(member, fx.a.id, (tx, a) => rotateIntegrationAccountKey(tx, a, { accountId: account!.id, apiKey: NEW_KEY })),
        () => as(member, fx.a.id, (tx, a) => disconnectIntegrationAccount(tx, a, { accountId: account!.id })),
        () => as(member, fx.a.id, (tx, a) => recheckIntegrationAccount(tx, a, { accountId: account!.id })),
      ];
      for (const attempt of attempts) expect((await refusal(attempt())).code, role).toBe("forbidden");
    }
    expect(fake.requests.length).toBe(calls);
  });

  it("lets the workspace's own sales reps use the key, and refuses viewers, in the service and in the database", async () => {
    const [account] = await as(fx.a.members.admin, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    const opened = await as(fx.a.members.sales_rep, fx.a.id, (tx, a) => openIntegrationKey(tx, a, account!.id));
    expect(opened).toEqual({ apiKey: KEY, vendor: "apollo", sandbox: false });
    const rep = fx.a.members.sales_rep;
    const found = await as(rep, fx.a.id, async (tx, a) => {
      const { client, sandbox } = await apolloClientForWorkspace(tx, a);
      expect({ baseUrl: client.baseUrl, sandbox }).toEqual({ baseUrl: fake.url, sandbox: false });
      return searchApolloPeople(client, {}, { perPage: 3 });
    });
    expect(found.people).toHaveLength(3);
    expect(fake.requests.at(-1)).toMatchObject({ path: "/mixed_people/api_search", apiKey: KEY });
    expect((await refusal(as(fx.a.members.viewer, fx.a.id, (tx, a) => openIntegrationKey(tx, a, account!.id)))).code).toBe("forbidden");
    const direct = await asUser(fx.a.members.viewer, (tx) =>
      tx.execute(sql`select * from private.integration_account_secret(${account!.id})`),
    );
    expect(direct).toHaveLength(0);
  });

  it("keeps the key to its workspace: another workspace neither sees nor uses nor changes it", async () => {
    const [account] = await as(fx.a.members.admin, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    const bAdmin = fx.b.members.admin;
    expect(await as(bAdmin, fx.b.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }))).toEqual([]);
    const attempts = [
      () => as(bAdmin, fx.b.id, (tx, a) => openIntegrationKey(tx, a, account!.id)),
      () => as(bAdmin, fx.b.id, (tx, a) => rotateIntegrationAccountKey(tx, a, { accountId: account!.id, apiKey: NEW_KEY })),
      () => as(bAdmin, fx.b.id, (tx, a) => disconnectIntegrationAccount(tx, a, { accountId: account!.id })),
      () => as(bAdmin, fx.b.id, (tx, a) => recheckIntegrationAccount(tx, a, { accountId: account!.id })),
    ];
    for (const attempt of attempts) expect((await refusal(attempt())).code).toBe("not_found");
    // Even with B's workspace id swapped for A's, B's admin is not a member of A: RLS shows nothing.
    const spoofed = await refusal(as(bAdmin, fx.a.id, (tx, a) => openIntegrationKey(tx, a, account!.id)));
    expect(spoofed.code).toBe("not_found");
    const direct = await asUser(bAdmin, (tx) => tx.execute(sql`select * from private.integration_account_secret(${account!.id})`));
    expect(direct).toHaveLength(0);
  });

  it("rotates to a checked key, keeps the old one when the new one is refused, and records both", async () => {
    const admin = fx.a.members.admin;
    const [account] = await as(admin, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    const refused = await refusal(
      as(admin, fx.a.id, (tx, a) => rotateIntegrationAccountKey(tx, a, { accountId: account!.id, apiKey: "revoked-key-0000" })),
    );
    expect(refused.code).toBe("invalid_input");
    expect((await as(admin, fx.a.id, (tx, a) => openIntegrationKey(tx, a, account!.id))).apiKey).toBe(KEY);

    // A key that works but is not a master key is saved, with what it may not do.
    const plain = await as(admin, fx.a.id, (tx, a) => rotateIntegrationAccountKey(tx, a, { accountId: account!.id, apiKey: PLAIN_KEY }));
    expect(plain).toMatchObject({ keyLast4: "88bb", status: "connected", missingPermission: "People Search needs a master API key." });
    expect(fake.requests.slice(-2).map((r) => [r.path, r.apiKey])).toEqual([
      ["/auth/health", PLAIN_KEY],
      ["/mixed_people/api_search", PLAIN_KEY],
    ]);

    const rotated = await as(admin, fx.a.id, (tx, a) => rotateIntegrationAccountKey(tx, a, { accountId: account!.id, apiKey: NEW_KEY }));
    expect(rotated).toMatchObject({ id: account!.id, keyLast4: "5e6f", status: "connected", missingPermission: null });
    expect((await as(admin, fx.a.id, (tx, a) => openIntegrationKey(tx, a, account!.id))).apiKey).toBe(NEW_KEY);
    const stored = await storedText(fx.a.id);
    expect(stored).toContain('"previousKeyLast4": "5b4a"');
    expect(stored).toContain('"previousKeyLast4": "88bb"');
    expect(stored).not.toContain(PLAIN_KEY);
    expect(stored).not.toContain(NEW_KEY);
    expect(stored).not.toContain(KEY);
  });

  it("shows a refused key as failing with the vendor's reason on Check now, and as connected again once it works", async () => {
    const admin = fx.a.members.admin;
    const [account] = await as(admin, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    fake.fail({ status: 401, headers: { "content-type": "text/plain" }, body: "Invalid access credentials." });
    const failing = await as(admin, fx.a.id, (tx, a) => recheckIntegrationAccount(tx, a, { accountId: account!.id }));
    expect(failing).toMatchObject({ status: "failing", lastError: expect.stringMatching(/^Apollo refused the API key/) });
    expect(failing.lastErrorAt).toBeInstanceOf(Date);
    const healthy = await as(admin, fx.a.id, (tx, a) => recheckIntegrationAccount(tx, a, { accountId: account!.id }));
    expect(healthy).toMatchObject({ status: "connected", lastError: null });
  });

  it("disconnects by forgetting the key, and connects again on the same row", async () => {
    const admin = fx.a.members.admin;
    const [account] = await as(admin, fx.a.id, (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }));
    const off = await as(admin, fx.a.id, (tx, a) => disconnectIntegrationAccount(tx, a, { accountId: account!.id }));
    expect(off).toMatchObject({ status: "disconnected", keyLast4: null });
    const [row] = await serviceDb().execute<{ secret_ciphertext: string | null }>(
      sql`select secret_ciphertext from public.integration_accounts where id = ${account!.id}`,
    );
    expect(row!.secret_ciphertext).toBeNull();
    expect((await refusal(as(admin, fx.a.id, (tx, a) => openIntegrationKey(tx, a, account!.id)))).code).toBe("not_found");

    const again = await as(admin, fx.a.id, (tx, a) => connectIntegrationAccount(tx, a, { vendor: "apollo", apiKey: KEY }));
    expect(again).toMatchObject({ id: account!.id, status: "connected", keyLast4: "5b4a" });
  });
});
