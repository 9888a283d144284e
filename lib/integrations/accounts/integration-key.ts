import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { integrationsSandboxEnabled } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { assertIntegrationsManager, getIntegrationAccount, type IntegrationAccountView, type IntegrationActor } from "./accounts";
import { runVendorKeyCheck, type KeyAccess } from "./check-vendor-key";
import { SANDBOX_OFF } from "./connect-sandbox";
import { CONNECTABLE_VENDORS, type ConnectableVendor } from "./schemas";
import { openSecret, SecretUnreadableError } from "./secret-box";
import { integrationSecretKeys } from "./secret-keys";
import { VENDOR_LABELS, type IntegrationVendor } from "./vendors";

/**
 * The decrypted key of an account, for a call to its vendor by someone allowed to spend it
 * (searching, enriching, importing: sales reps and up). The ciphertext comes through
 * private.integration_account_secret, which checks that role again in the database.
 */
export async function openIntegrationKey(
  tx: Database,
  actor: IntegrationActor,
  accountId: string,
): Promise<{ apiKey: string; vendor: string; sandbox: boolean }> {
  if (!can(actor.role, "enrichment.run") && !can(actor.role, "integrations.manage")) {
    throw new AppError("forbidden", "Your role does not allow using the workspace's integrations. Ask an admin of this workspace.");
  }
  const [row] = await tx.execute<{ workspace_id: string; vendor: string; secret_ciphertext: string; secret_key_id: string }>(
    sql`select * from private.integration_account_secret(${accountId}) where workspace_id = ${actor.workspaceId}`,
  );
  if (!row) throw notFound("A connected integration");
  const apiKey = openSecret(
    { ciphertext: row.secret_ciphertext, keyId: row.secret_key_id },
    { workspaceId: row.workspace_id, vendor: row.vendor },
    integrationSecretKeys(),
  );
  const { sandbox } = await getIntegrationAccount(tx, actor.workspaceId, accountId);
  return { apiKey, vendor: row.vendor, sandbox };
}

/**
 * "Check now": calls the vendor with the saved key and records the outcome on the account
 * (connected, or failing with the vendor's reason), which is what the Integrations page shows.
 */
export async function recheckIntegrationAccount(
  tx: Database,
  actor: IntegrationActor,
  { accountId }: { accountId: string },
): Promise<IntegrationAccountView> {
  assertIntegrationsManager(actor);
  const account = await getIntegrationAccount(tx, actor.workspaceId, accountId);
  if (account.status === "disconnected") throw new AppError("conflict", "This integration is disconnected: connect it with a key first.");
  const outcome = await checkSavedKey(tx, actor, account);
  await tx
    .update(integrationAccounts)
    .set(
      "failure" in outcome
        ? { status: "failing", lastError: outcome.failure, lastErrorAt: sql`now()` as unknown as Date }
        : {
            status: "connected",
            lastSuccessAt: sql`now()` as unknown as Date,
            lastError: null,
            lastErrorAt: null,
            ...(outcome.missingPermission === undefined ? {} : { missingPermission: outcome.missingPermission }),
          },
    )
    .where(and(eq(integrationAccounts.id, accountId), eq(integrationAccounts.workspaceId, actor.workspaceId)));
  return getIntegrationAccount(tx, actor.workspaceId, accountId);
}

/** What the vendor said of the saved key: what it may not do, or why it failed, for the page to show. */
async function checkSavedKey(
  tx: Database,
  actor: IntegrationActor,
  account: IntegrationAccountView,
): Promise<KeyAccess | { failure: string }> {
  if (account.sandbox && !integrationsSandboxEnabled()) return { failure: SANDBOX_OFF };
  try {
    const { apiKey, vendor } = await openIntegrationKey(tx, actor, account.id);
    if (!(CONNECTABLE_VENDORS as readonly string[]).includes(vendor)) return { failure: "This vendor's keys cannot be checked yet." };
    return await runVendorKeyCheck(vendor as ConnectableVendor, apiKey, { sandbox: account.sandbox });
  } catch (error) {
    if (!(error instanceof VendorError) && !(error instanceof SecretUnreadableError)) throw error;
    return { failure: error.message.slice(0, 1000) };
  }
}

/**
 * The account a background job was asked to use is gone, disconnected, or may not be used on
 * this server any more (a sandbox where sandboxes are off). Retrying cannot help: the job ends
 * with this message, which tells the admin what to do.
 */
export class IntegrationNotConnected extends Error {
  constructor(
    readonly vendor: IntegrationVendor,
    message = `${VENDOR_LABELS[vendor]} is not connected to this workspace any more: an admin can connect it in Settings → Integrations.`,
  ) {
    super(message);
    this.name = "IntegrationNotConnected";
  }
}

/**
 * The decrypted key of one account for a background job: the service connection, so the job
 * names the workspace itself and has checked the requester's role when it was asked for. The
 * key is opened inside the job's step and never leaves it. A sandbox account is refused where
 * sandboxes are off.
 */
export async function openIntegrationKeyForJob(
  db: Database,
  { workspaceId, accountId }: { workspaceId: string; accountId: string },
  vendor: IntegrationVendor,
): Promise<{ apiKey: string; sandbox: boolean }> {
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
  if (!account || account.vendor !== vendor || account.status === "disconnected" || !account.ciphertext || !account.keyId) {
    throw new IntegrationNotConnected(vendor);
  }
  if (account.sandbox && !integrationsSandboxEnabled()) {
    throw new IntegrationNotConnected(
      vendor,
      `The ${VENDOR_LABELS[vendor]} sandbox is off on this server: connect it with a real API key.`,
    );
  }
  const apiKey = openSecret({ ciphertext: account.ciphertext, keyId: account.keyId }, { workspaceId, vendor }, integrationSecretKeys());
  return { apiKey, sandbox: account.sandbox };
}
