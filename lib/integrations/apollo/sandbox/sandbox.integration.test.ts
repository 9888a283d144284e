import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { openIntegrationKey, recheckIntegrationAccount } from "@/lib/integrations/accounts/integration-key";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { mintSandboxKey } from "@/lib/integrations/sandbox/sandbox-key";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { enrichApolloPeopleByIds, matchApolloPeople } from "../bulk-enrichment";
import { apolloClientForWorkspace } from "../client-for-account";
import { createApolloClient } from "../client";
import { checkApolloKey } from "../key-check";
import { collectApolloPeople, searchApolloPeople } from "../people-search";
import { apolloSandboxBaseUrl } from "./base-url";
import { handleApolloSandboxRequest } from "./handler";
import { enrichedRecordOf, samplePerson, sandboxApolloId, SANDBOX_POPULATION } from "./sample-people";

/**
 * The sandbox as the app serves it (the route strips /api/sandbox/apollo), at APP_URL: set
 * before anything reads the environment, which is parsed once per process.
 */
const ROUTE = "/api/sandbox/apollo";
const served = await serveWebHandler((request) => handleApolloSandboxRequest(request, new URL(request.url).pathname.slice(ROUTE.length)));
process.env.APP_URL = served.url;

let fx: TenancyFixture;
const actor = (m: TenancyMember, workspaceId: string) => ({ workspaceId, userId: m.id, role: m.role });
const sandboxClient = (apiKey: string) =>
  createApolloClient({
    apiKey,
    baseUrl: apolloSandboxBaseUrl(),
    policy: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, timeoutMs: 5_000 },
  });

beforeAll(async () => {
  expect(apolloSandboxBaseUrl()).toBe(`${served.url}/api/sandbox/apollo/api/v1`);
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await served.close();
});

describe("the Apollo sandbox", () => {
  const key = () => mintSandboxKey("apollo", fx.a.id, env().ENCRYPTION_KEY);

  it("answers the same client code as Apollo does, for the key this server minted only", async () => {
    await checkApolloKey(sandboxClient(key()));
    const refused = await checkApolloKey(sandboxClient("sandbox_apollo_forged")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VendorError);
    expect(refused).toMatchObject({
      kind: "unauthorized",
      message: expect.stringMatching(/^Apollo refused the API key \(“Invalid access credentials\.”\)/),
    });
  });

  it("matches existing leads as People Enrichment does: a sample person by address, anyone else with a stable invented profile, some not found", async () => {
    const client = sandboxClient(key());
    const sample = enrichedRecordOf(samplePerson(7));
    const others = Array.from({ length: 12 }, (_, i) => ({ email: `lead${i}@customer-${i}.test` }));
    const first = await matchApolloPeople(client, [{ email: sample.email }, ...others.slice(0, 9)]);
    expect(first.matches[0]).toMatchObject({ id: sample.id, email: sample.email, sample_data: true });
    const again = await matchApolloPeople(client, [{ email: sample.email }, ...others.slice(0, 9)]);
    expect(again.matches).toEqual(first.matches); // the same answer every time
    const found = first.matches.slice(1).filter((m) => m !== null);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(9);
    expect(found[0]).toMatchObject({ sample_data: true, email: expect.stringMatching(/@customer-\d+\.test$/) });
    expect(first.creditsConsumed).toBe(first.matches.filter((m) => m !== null).length);
  });

  it("searches a deterministic sample population, labelled as sample data, with Apollo's filters and paging", async () => {
    const client = sandboxClient(key());
    const all = await collectApolloPeople(client, {});
    expect(all.totalEntries).toBe(SANDBOX_POPULATION);
    expect(all.people).toHaveLength(SANDBOX_POPULATION);
    expect(all.pages).toBe(25);
    expect(all.people.every((p) => p.sample_data === true && p.last_name_obfuscated?.includes("***"))).toBe(true);
    expect((await collectApolloPeople(client, {})).people.map((p) => p.id)).toEqual(all.people.map((p) => p.id));

    const heads = await searchApolloPeople(
      client,
      { titles: ["head of sales"], organizationDomains: ["contoso.example"] },
      { perPage: 100 },
    );
    expect(heads.totalEntries).toBeGreaterThan(0);
    expect(heads.totalEntries).toBeLessThan(SANDBOX_POPULATION / 10);
    expect(heads.people.every((p) => p.title === "Head of Sales" && p.organization?.name === "Contoso Demo Ltd")).toBe(true);
    expect((await searchApolloPeople(client, { keywords: "nobody matches this" })).totalEntries).toBe(0);
  });

  it("enriches by id with undeliverable sample addresses and reports sample credits", async () => {
    const ids = Array.from({ length: 25 }, (_, n) => sandboxApolloId(n));
    const result = await enrichApolloPeopleByIds(sandboxClient(key()), [...ids, sandboxApolloId(SANDBOX_POPULATION)]);
    expect(result).toMatchObject({ calls: 3, creditsConsumed: 25, missingIds: [sandboxApolloId(SANDBOX_POPULATION)] });
    expect(result.people.map((p) => p.id)).toEqual(ids);
    expect(result.people.every((p) => /@[a-z]+\.example$/.test(p.email ?? "") && p.sample_data === true)).toBe(true);
  });

  it("is connected by an admin without a key, checked through the same client over HTTP, and labelled as the sandbox", async () => {
    const admin = fx.a.members.admin;
    const account = await asUser(admin, (tx) => connectIntegrationSandbox(tx, actor(admin, fx.a.id), { vendor: "apollo" }));
    expect(account).toMatchObject({ vendor: "apollo", sandbox: true, status: "connected" });
    expect(account.keyLast4).toBe(key().slice(-4));
    const checked = await asUser(admin, (tx) => recheckIntegrationAccount(tx, actor(admin, fx.a.id), { accountId: account.id }));
    expect(checked).toMatchObject({ status: "connected", lastError: null });
    const opened = await asUser(fx.a.members.sales_rep, (tx) => openIntegrationKey(tx, actor(fx.a.members.sales_rep, fx.a.id), account.id));
    expect(opened).toEqual({ apiKey: key(), vendor: "apollo", sandbox: true });

    const again = await asUser(admin, (tx) => connectIntegrationSandbox(tx, actor(admin, fx.a.id), { vendor: "apollo" })).catch(
      (e: unknown) => e,
    );
    expect(again).toMatchObject({ code: "conflict" });
    const byManager = await asUser(fx.b.members.manager, (tx) =>
      connectIntegrationSandbox(tx, actor(fx.b.members.manager, fx.b.id), { vendor: "apollo" }),
    ).catch((e: unknown) => e);
    expect(byManager).toBeInstanceOf(AppError);
    expect(byManager).toMatchObject({ code: "forbidden" });
  });

  it("gives the workspace's sales reps the sandbox client, viewers nothing, and other workspaces a plain 'not connected'", async () => {
    const rep = fx.a.members.sales_rep;
    const page = await asUser(rep, async (tx) => {
      const { client, sandbox } = await apolloClientForWorkspace(tx, actor(rep, fx.a.id));
      expect(sandbox).toBe(true);
      expect(client.baseUrl).toBe(apolloSandboxBaseUrl());
      return searchApolloPeople(client, { seniorities: ["founder"] }, { perPage: 5 });
    });
    expect(page.people).toHaveLength(5);
    expect(page.people.every((p) => p.title === "Founder & CEO")).toBe(true);

    const viewer = fx.a.members.viewer;
    const refused = await asUser(viewer, (tx) => apolloClientForWorkspace(tx, actor(viewer, fx.a.id))).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "forbidden" });
    const elsewhere = await asUser(fx.b.members.admin, (tx) => apolloClientForWorkspace(tx, actor(fx.b.members.admin, fx.b.id))).catch(
      (e: unknown) => e,
    );
    expect(elsewhere).toMatchObject({
      code: "not_found",
      message: "Apollo is not connected to this workspace. An admin can connect it in Settings → Integrations.",
    });
  });

  it("accepts every sandbox key this server minted: it serves only sample data, and accounts keep workspaces apart", async () => {
    // B cannot open A's account (accounts.integration.test.ts); B's own sandbox key works for B.
    const bKey = mintSandboxKey("apollo", fx.b.id, env().ENCRYPTION_KEY);
    expect(bKey).not.toBe(key());
    await checkApolloKey(sandboxClient(bKey));
  });
});
