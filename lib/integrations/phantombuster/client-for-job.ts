import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { openSecret } from "@/lib/integrations/accounts/secret-box";
import { integrationSecretKeys } from "@/lib/integrations/accounts/secret-keys";
import { createPhantomBusterClient, type PhantomBusterClient, type PhantomBusterClientConfig } from "./client";
import { PHANTOMBUSTER_NOT_CONNECTED } from "./client-for-account";

/** The account was disconnected (or removed) since the job was asked for. */
export class PhantomBusterNotConnected extends Error {
  constructor() {
    super(PHANTOMBUSTER_NOT_CONNECTED);
    this.name = "PhantomBusterNotConnected";
  }
}

/**
 * The account's client for a background job (the service connection, scoped by workspace and
 * account explicitly): the key is opened inside the job's step and never leaves it.
 */
export async function phantomBusterClientForJob(
  db: Database,
  { workspaceId, accountId }: { workspaceId: string; accountId: string },
  options: Omit<PhantomBusterClientConfig, "apiKey"> = {},
): Promise<PhantomBusterClient> {
  const [account] = await db
    .select({
      vendor: integrationAccounts.vendor,
      status: integrationAccounts.status,
      ciphertext: integrationAccounts.secretCiphertext,
      keyId: integrationAccounts.secretKeyId,
    })
    .from(integrationAccounts)
    .where(and(eq(integrationAccounts.id, accountId), eq(integrationAccounts.workspaceId, workspaceId)));
  if (!account || account.vendor !== "phantombuster" || account.status === "disconnected" || !account.ciphertext || !account.keyId) {
    throw new PhantomBusterNotConnected();
  }
  const apiKey = openSecret(
    { ciphertext: account.ciphertext, keyId: account.keyId },
    { workspaceId, vendor: "phantombuster" },
    integrationSecretKeys(),
  );
  return createPhantomBusterClient({ ...options, apiKey });
}
