import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { env, integrationsSandboxEnabled } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { mintSandboxKey } from "@/lib/integrations/sandbox/sandbox-key";
import {
  assertIntegrationsManager,
  getIntegrationAccount,
  sealedColumns,
  storeConnection,
  type IntegrationAccountView,
  type IntegrationActor,
} from "./accounts";
import { hasSandbox, type ConnectableVendor } from "./schemas";
import { VENDOR_LABELS } from "./vendors";

export const SANDBOX_OFF =
  "The sandbox is off on this server: in production it is offered only when an operator sets INTEGRATIONS_SANDBOX_ENABLED=true.";

/**
 * Connects the vendor's sandbox instead of the vendor: sample data served by this app in the
 * vendor's HTTP shapes, so the whole flow can be tried on a fresh machine without a key. The
 * account is marked `sandbox`, and every screen that shows its data says it is sample data.
 * Rotating in a real key later turns it into a real connection.
 */
export async function connectIntegrationSandbox(
  tx: Database,
  actor: IntegrationActor,
  { vendor }: { vendor: ConnectableVendor },
): Promise<IntegrationAccountView> {
  assertIntegrationsManager(actor);
  if (!integrationsSandboxEnabled()) throw new AppError("forbidden", SANDBOX_OFF);
  if (!hasSandbox(vendor))
    throw new AppError("invalid_input", `${VENDOR_LABELS[vendor]} has no sandbox on this server: connect it with an API key.`);
  const [existing] = await tx
    .select({ id: integrationAccounts.id, status: integrationAccounts.status, keyLast4: integrationAccounts.keyLast4 })
    .from(integrationAccounts)
    .where(and(eq(integrationAccounts.workspaceId, actor.workspaceId), eq(integrationAccounts.vendor, vendor)))
    .for("update");
  if (existing && existing.status !== "disconnected") {
    throw new AppError(
      "conflict",
      `${VENDOR_LABELS[vendor]} is already connected (key ••••${existing.keyLast4}). Disconnect it first to try the sandbox.`,
    );
  }
  // Minted here, so there is nothing to check: the sandbox accepts exactly this key.
  const columns = { ...sealedColumns(actor, vendor, mintSandboxKey(vendor, actor.workspaceId, env().ENCRYPTION_KEY)), sandbox: true };
  const row = await storeConnection(tx, actor, vendor, existing?.id, columns);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "integration.sandbox_connected",
    targetType: "integration_account",
    targetId: row.id,
    metadata: { vendor },
  });
  return getIntegrationAccount(tx, actor.workspaceId, row.id);
}
