import { describe, expect, it } from "vitest";

/**
 * `npm start` without INTEGRATIONS_SANDBOX_ENABLED: the PhantomBuster sandbox is not there, its
 * API nor its files. lib/env.ts caches its first parse and this file's module graph is its own,
 * so the mode is set before anything here reads it (dynamic imports).
 */
(process.env as Record<string, string>).NODE_ENV = "production";
delete process.env.INTEGRATIONS_SANDBOX_ENABLED;

describe("the PhantomBuster sandbox in production", () => {
  it("is off unless enabled: the API answers 404 even to a key this server minted, and so do the result files", async () => {
    const { handlePhantomBusterSandboxRequest } = await import("./handler");
    const { mintSandboxKey } = await import("@/lib/integrations/sandbox/sandbox-key");
    const { env } = await import("@/lib/env");
    const workspace = "6f1c2c4e-8f2b-4d7e-9a51-0c3e2b1d4a77";
    const key = mintSandboxKey("phantombuster", workspace, env().ENCRYPTION_KEY);
    const api = await handlePhantomBusterSandboxRequest(
      new Request("http://app.test/api/sandbox/phantombuster/api/v2/agents/fetch-all", { headers: { "x-phantombuster-key": key } }),
      "/api/v2/agents/fetch-all",
    );
    expect(api.status).toBe(404);
    const file = await handlePhantomBusterSandboxRequest(
      new Request("http://app.test/api/sandbox/phantombuster/s3/x/y/result.csv"),
      `/s3/sandbox-${workspace.replace(/-/g, "")}/sample-sales-navigator/result.csv`,
    );
    expect(file.status).toBe(404);
  });
});
