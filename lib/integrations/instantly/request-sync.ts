import "server-only";
import type { Database } from "@/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { assertIntegrationsManager, getIntegrationAccount, type IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { VENDOR_LABELS } from "@/lib/integrations/accounts/vendors";
import { queueInstantlySyncAfterCommit } from "./queue-sync";

/**
 * "Sync now" (Settings → Integrations, admins): asks for the same sync the hourly cron runs,
 * after the commit. Syncs of one account run one at a time, so a second click waits for the
 * first instead of reading everything twice.
 */
export async function requestInstantlySync(
  tx: Database,
  actor: IntegrationActor,
  { accountId }: { accountId: string },
): Promise<{ accountId: string; queued: true }> {
  assertIntegrationsManager(actor);
  const account = await getIntegrationAccount(tx, actor.workspaceId, accountId);
  if (account.vendor !== "instantly") {
    throw new AppError("invalid_input", `Only Instantly is synced; ${VENDOR_LABELS[account.vendor]} has nothing to sync.`);
  }
  if (account.status === "disconnected") throw new AppError("conflict", "Instantly is disconnected: connect it with a key first.");
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "integration.sync_requested",
    targetType: "integration_account",
    targetId: account.id,
    metadata: { vendor: account.vendor },
  });
  queueInstantlySyncAfterCommit(
    tx,
    { workspaceId: actor.workspaceId, accountId: account.id, requestedBy: actor.userId },
    "Instantly sync now",
  );
  return { accountId: account.id, queued: true };
}
