import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { openIntegrationKey, openIntegrationKeyForJob } from "@/lib/integrations/accounts/integration-key";
import { recordIntegrationOutcome } from "@/lib/integrations/accounts/record-outcome";
import { INTERACTIVE_RETRY_POLICY } from "@/lib/integrations/http/fetch-with-retries";
import { createApolloClient, type ApolloClient, type ApolloClientConfig } from "./client";

/** Every call through the account records on it how it went (its status on Settings → Integrations). */
const recordingOn =
  (workspaceId: string, accountId: string): ApolloClientConfig["onOutcome"] =>
  (endpoint, error) =>
    recordIntegrationOutcome({ workspaceId, accountId, vendor: "apollo" }, `${endpoint.method} ${endpoint.path}`, error);
import { apolloSandboxBaseUrl } from "./sandbox/base-url";

/**
 * The workspace's Apollo client, for someone allowed to spend its key (sales reps and up): the
 * real API, or the app's own sandbox for a sandbox account, with the same client code. Says so
 * plainly when Apollo is not connected. `sandbox` is for every screen that shows its data.
 */
export async function apolloClientForWorkspace(
  tx: Database,
  actor: IntegrationActor,
  options: Omit<ApolloClientConfig, "apiKey" | "baseUrl" | "onOutcome"> = {},
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
  const client = createApolloClient({
    // Searches and estimates answer a person on the page, inside their transaction.
    policy: INTERACTIVE_RETRY_POLICY,
    ...options,
    apiKey,
    baseUrl: sandbox ? apolloSandboxBaseUrl() : undefined,
    onOutcome: recordingOn(actor.workspaceId, account.id),
  });
  return { client, accountId: account.id, sandbox };
}

/**
 * A job's client for one account (the service connection: the job scopes by workspace itself
 * and has re-checked the requester's role). The sandbox only where sandboxes are allowed.
 */
export async function apolloClientForJob(
  db: Database,
  ref: { workspaceId: string; accountId: string },
  options: Omit<ApolloClientConfig, "apiKey" | "baseUrl" | "onOutcome"> = {},
): Promise<{ client: ApolloClient; sandbox: boolean }> {
  const { apiKey, sandbox } = await openIntegrationKeyForJob(db, ref, "apollo");
  const client = createApolloClient({
    ...options,
    apiKey,
    baseUrl: sandbox ? apolloSandboxBaseUrl() : undefined,
    onOutcome: recordingOn(ref.workspaceId, ref.accountId),
  });
  return { client, sandbox };
}
