import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { openIntegrationKey } from "@/lib/integrations/accounts/integration-key";
import { phantomBusterSandboxUrls } from "./sandbox/base-url";
import { createPhantomBusterClient, type PhantomBusterClient, type PhantomBusterClientConfig } from "./client";

const PHANTOMBUSTER_NOT_CONNECTED = "PhantomBuster is not connected to this workspace. An admin can connect it in Settings → Integrations.";

/**
 * The workspace's PhantomBuster client, for someone allowed to spend its key (sales reps and
 * up, checked by openIntegrationKey and again in the database). Says so plainly when
 * PhantomBuster is not connected. A sandbox account's client points at the app's own sandbox
 * (the same client code); `sandbox` is for every screen that shows its data.
 */
export async function phantomBusterClientForWorkspace(
  tx: Database,
  actor: IntegrationActor,
  options: Omit<PhantomBusterClientConfig, "apiKey" | "baseUrl" | "s3Url"> = {},
): Promise<{ client: PhantomBusterClient; accountId: string; sandbox: boolean }> {
  const [account] = await tx
    .select({ id: integrationAccounts.id })
    .from(integrationAccounts)
    .where(
      and(
        eq(integrationAccounts.workspaceId, actor.workspaceId),
        eq(integrationAccounts.vendor, "phantombuster"),
        ne(integrationAccounts.status, "disconnected"),
      ),
    );
  if (!account) throw new AppError("not_found", PHANTOMBUSTER_NOT_CONNECTED);
  const { apiKey, sandbox } = await openIntegrationKey(tx, actor, account.id);
  const client = createPhantomBusterClient({ ...options, apiKey, sandbox, ...(sandbox ? phantomBusterSandboxUrls() : {}) });
  return { client, accountId: account.id, sandbox };
}
