import "server-only";
import type { Database } from "@/db";
import { openIntegrationKeyForJob } from "@/lib/integrations/accounts/integration-key";
import { phantomBusterSandboxUrls } from "./sandbox/base-url";
import { createPhantomBusterClient, type PhantomBusterClient, type PhantomBusterClientConfig } from "./client";

/**
 * The account's client for a background job (the service connection, scoped by workspace and
 * account explicitly): the key is opened inside the job's step and never leaves it.
 */
export async function phantomBusterClientForJob(
  db: Database,
  ref: { workspaceId: string; accountId: string },
  options: Omit<PhantomBusterClientConfig, "apiKey" | "baseUrl" | "s3Url"> = {},
): Promise<PhantomBusterClient> {
  const { apiKey, sandbox } = await openIntegrationKeyForJob(db, ref, "phantombuster");
  return createPhantomBusterClient({ ...options, apiKey, sandbox, ...(sandbox ? phantomBusterSandboxUrls() : {}) });
}
