import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { integrationsSandboxEnabled } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { openIntegrationKey } from "@/lib/integrations/accounts/integration-key";
import { openSecret } from "@/lib/integrations/accounts/secret-box";
import { integrationSecretKeys } from "@/lib/integrations/accounts/secret-keys";
import { createApolloClient, type ApolloClient, type ApolloClientConfig } from "./client";
import { apolloSandboxBaseUrl } from "./sandbox/base-url";

/**
 * The workspace's Apollo client, for someone allowed to spend its key (sales reps and up): the
 * real API, or the app's own sandbox for a sandbox account, with the same client code. Says so
 * plainly when Apollo is not connected. `sandbox` is for every screen that shows its data.
 */
export async function apolloClientForWorkspace(
  tx: Database,
  actor: IntegrationActor,
  options: Omit<ApolloClientConfig, "apiKey" | "baseUrl"> = {},
): Promise<{ client: ApolloClient; accountId: string; sandbox: boolean }> {
  const [account] = await tx
    .select({ id: integrationAccounts.id })
    .from(integrationAccounts)
    .where(
      and(
        eq(integrationAccounts.workspaceId, actor.workspaceId),
        eq(integrationAccounts.vendor, "apollo"),
        ne(integrationAccounts.status, "disconnected"),
      ),
    );
  if (!account) {
    throw new AppError("not_found", "Apollo is not connected to this workspace. An admin can connect it in Settings → Integrations.");
  }
  const { apiKey, sandbox } = await openIntegrationKey(tx, actor, account.id);
  const client = createApolloClient({ ...options, apiKey, baseUrl: sandbox ? apolloSandboxBaseUrl() : undefined });
  return { client, accountId: account.id, sandbox };
}

/** The account a job was asked to spend is gone, or may not be used on this server any more. */
export class ApolloNotConnected extends Error {
  constructor(message = "Apollo is not connected to this workspace any more: an admin can connect it in Settings → Integrations.") {
    super(message);
    this.name = "ApolloNotConnected";
  }
}

/**
 * A job's client for one account (the service connection: the job scopes by workspace itself
 * and has re-checked the requester's role). The sandbox only where sandboxes are allowed.
 */
export async function apolloClientForJob(
  db: Database,
  { workspaceId, accountId }: { workspaceId: string; accountId: string },
  options: Omit<ApolloClientConfig, "apiKey" | "baseUrl"> = {},
): Promise<{ client: ApolloClient; sandbox: boolean }> {
  const [account] = await db
    .select({
      vendor: integrationAccounts.vendor,
      status: integrationAccounts.status,
      sandbox: integrationAccounts.sandbox,
      ciphertext: integrationAccounts.secretCiphertext,
      keyId: integrationAccounts.secretKeyId,
    })
    .from(integrationAccounts)
    .where(and(eq(integrationAccounts.id, accountId), eq(integrationAccounts.workspaceId, workspaceId)));
  if (!account || account.vendor !== "apollo" || account.status === "disconnected" || !account.ciphertext || !account.keyId) {
    throw new ApolloNotConnected();
  }
  if (account.sandbox && !integrationsSandboxEnabled()) {
    throw new ApolloNotConnected("The Apollo sandbox is off on this server: connect Apollo with a real API key.");
  }
  const apiKey = openSecret(
    { ciphertext: account.ciphertext, keyId: account.keyId },
    { workspaceId, vendor: "apollo" },
    integrationSecretKeys(),
  );
  const client = createApolloClient({ ...options, apiKey, baseUrl: account.sandbox ? apolloSandboxBaseUrl() : undefined });
  return { client, sandbox: account.sandbox };
}
