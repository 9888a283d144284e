import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenancyFixture, asUser, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * `npm start` without INTEGRATIONS_SANDBOX_ENABLED: the Instantly sandbox is not there. lib/env.ts
 * caches its first parse and this file's module graph is its own, so the mode is set before
 * anything here reads it (dynamic imports).
 */
(process.env as Record<string, string>).NODE_ENV = "production";
delete process.env.INTEGRATIONS_SANDBOX_ENABLED;

const app = async () => ({
  ...(await import("./handler")),
  ...(await import("@/lib/integrations/accounts/connect-sandbox")),
  ...(await import("@/lib/integrations/sandbox/sandbox-key")),
  ...(await import("@/lib/env")),
});

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

describe("the Instantly sandbox in production", () => {
  it("is off unless enabled: its route answers 404, even to a key this server minted", async () => {
    const { handleInstantlySandboxRequest, mintSandboxKey, env } = await app();
    const key = mintSandboxKey("instantly", fx.a.id, env().ENCRYPTION_KEY);
    const response = await handleInstantlySandboxRequest(
      new Request("http://app.test/api/sandbox/instantly/api/v2/campaigns", { headers: { authorization: `Bearer ${key}` } }),
      "/api/v2/campaigns",
    );
    expect(response.status).toBe(404);
  });

  it("cannot be connected, and the refusal says how an operator would allow it", async () => {
    const { connectIntegrationSandbox } = await app();
    const admin = fx.a.members.admin;
    const refused = await asUser(admin, (tx) =>
      connectIntegrationSandbox(tx, { workspaceId: fx.a.id, userId: admin.id, role: "admin" }, { vendor: "instantly" }),
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: "forbidden",
      message:
        "The sandbox is off on this server: in production it is offered only when an operator sets INTEGRATIONS_SANDBOX_ENABLED=true.",
    });
  });
});
