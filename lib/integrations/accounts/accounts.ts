import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, notFound } from "@/lib/errors";
import { queueInstantlySyncAfterCommit } from "@/lib/integrations/instantly/queue-sync";
import { checkVendorKey } from "./check-vendor-key";
import { CONNECTABLE_VENDORS, type ConnectableVendor } from "./schemas";
import { lastFourOf, sealSecret } from "./secret-box";
import { integrationSecretKeys } from "./secret-keys";
import { VENDOR_LABELS, type IntegrationStatus, type IntegrationVendor } from "./vendors";

export type IntegrationActor = { workspaceId: string; userId: string; role: WorkspaceRole };

/** What anyone may see of an account: never the key, only its last four characters. */
export type IntegrationAccountView = {
  id: string;
  vendor: IntegrationVendor;
  keyLast4: string | null;
  sandbox: boolean;
  status: IntegrationStatus;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** What the key may not do, as the vendor said when it was last checked. */
  missingPermission: string | null;
  updatedAt: Date;
};

const ACCOUNT_NOT_FOUND = "That integration";

/** Only these columns: user roles hold no SELECT on the secret ones (migration 0038). */
const VIEW = {
  id: integrationAccounts.id,
  vendor: integrationAccounts.vendor,
  keyLast4: integrationAccounts.keyLast4,
  sandbox: integrationAccounts.sandbox,
  status: integrationAccounts.status,
  lastSuccessAt: integrationAccounts.lastSuccessAt,
  lastError: integrationAccounts.lastError,
  lastErrorAt: integrationAccounts.lastErrorAt,
  missingPermission: integrationAccounts.missingPermission,
  updatedAt: integrationAccounts.updatedAt,
};

export function assertIntegrationsManager(actor: IntegrationActor): void {
  if (!can(actor.role, "integrations.manage")) {
    throw new AppError("forbidden", "Only an admin can manage integrations. Ask an admin of this workspace.");
  }
}

/** Every member may know what is connected (and whether it works); the key stays hidden. */
export async function listIntegrationAccounts(tx: Database, { workspaceId }: { workspaceId: string }): Promise<IntegrationAccountView[]> {
  return tx
    .select(VIEW)
    .from(integrationAccounts)
    .where(eq(integrationAccounts.workspaceId, workspaceId))
    .orderBy(asc(integrationAccounts.vendor));
}

export async function getIntegrationAccount(tx: Database, workspaceId: string, accountId: string): Promise<IntegrationAccountView> {
  const [row] = await tx
    .select(VIEW)
    .from(integrationAccounts)
    .where(and(eq(integrationAccounts.id, accountId), eq(integrationAccounts.workspaceId, workspaceId)));
  if (!row) throw notFound(ACCOUNT_NOT_FOUND);
  return row;
}

export const sealedColumns = (
  actor: IntegrationActor,
  vendor: IntegrationVendor,
  apiKey: string,
  missingPermission: string | null = null,
) => {
  const [key] = integrationSecretKeys();
  const sealed = sealSecret(apiKey, { workspaceId: actor.workspaceId, vendor }, key!);
  return {
    secretCiphertext: sealed.ciphertext,
    secretKeyId: sealed.keyId,
    keyLast4: lastFourOf(apiKey),
    status: "connected" as const,
    lastSuccessAt: sql`now()` as unknown as Date,
    lastError: null,
    lastErrorAt: null,
    missingPermission,
    updatedBy: actor.userId,
  };
};

/**
 * A connection's sealed key on the workspace's row for the vendor: the row left disconnected
 * (`existingId`), or a new one.
 */
export async function storeConnection(
  tx: Database,
  actor: IntegrationActor,
  vendor: IntegrationVendor,
  existingId: string | undefined,
  columns: ReturnType<typeof sealedColumns> & { sandbox: boolean },
): Promise<{ id: string }> {
  const [row] = existingId
    ? await tx
        .update(integrationAccounts)
        .set(columns)
        .where(eq(integrationAccounts.id, existingId))
        .returning({ id: integrationAccounts.id })
    : await tx
        .insert(integrationAccounts)
        .values({ workspaceId: actor.workspaceId, vendor, createdBy: actor.userId, ...columns })
        .returning({ id: integrationAccounts.id });
  return row!;
}

/**
 * Checks the key with the vendor's cheap call, then stores it encrypted. A workspace has one
 * account per vendor: connecting again after a disconnect reuses the row; while connected, the
 * key is rotated instead.
 */
export async function connectIntegrationAccount(
  tx: Database,
  actor: IntegrationActor,
  { vendor, apiKey }: { vendor: ConnectableVendor; apiKey: string },
): Promise<IntegrationAccountView> {
  assertIntegrationsManager(actor);
  const [existing] = await tx
    .select(VIEW)
    .from(integrationAccounts)
    .where(and(eq(integrationAccounts.workspaceId, actor.workspaceId), eq(integrationAccounts.vendor, vendor)))
    .for("update");
  if (existing && existing.status !== "disconnected") {
    throw new AppError(
      "conflict",
      `${VENDOR_LABELS[vendor]} is already connected with the key ••••${existing.keyLast4}. Rotate the key instead, or disconnect it first.`,
    );
  }
  const access = await checkVendorKey(vendor, apiKey);
  const columns = { ...sealedColumns(actor, vendor, apiKey, access.missingPermission ?? null), sandbox: false };
  const row = await storeConnection(tx, actor, vendor, existing?.id, columns);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "integration.connected",
    targetType: "integration_account",
    targetId: row.id,
    metadata: { vendor, keyLast4: columns.keyLast4 },
  });
  return getIntegrationAccount(tx, actor.workspaceId, row.id);
}

/**
 * A rotated Instantly key: its sync is asked for once the key is stored, not at the next hourly
 * cron. The sync's first step writes the webhook's header, which is bound to the key
 * (webhooks/secret.ts): until it does, Instantly's deliveries carry the old header and are
 * refused, and those refusals count toward the wrong-secret limit of Instantly's addresses,
 * which every workspace's deliveries share. (A first connection has no webhook yet: its admin
 * syncs now, or the hourly cron does; a sync asked here would hold that "Sync now" back by the
 * sync's throttle of one start a minute.)
 */
function syncInstantlyAfterCommit(tx: Database, actor: IntegrationActor, accountId: string): void {
  queueInstantlySyncAfterCommit(
    tx,
    { workspaceId: actor.workspaceId, accountId, requestedBy: actor.userId },
    "Instantly sync after a new key",
  );
}

/** Replaces the key with a new one, checked first; the old one stays if the new one fails. */
export async function rotateIntegrationAccountKey(
  tx: Database,
  actor: IntegrationActor,
  { accountId, apiKey }: { accountId: string; apiKey: string },
): Promise<IntegrationAccountView> {
  assertIntegrationsManager(actor);
  const account = await lockedAccount(tx, actor, accountId);
  if (account.status === "disconnected") {
    throw new AppError("conflict", `${VENDOR_LABELS[account.vendor]} is disconnected. Connect it with the new key instead.`);
  }
  if (!(CONNECTABLE_VENDORS as readonly string[]).includes(account.vendor)) {
    throw new AppError("invalid_input", `Keys for ${VENDOR_LABELS[account.vendor]} cannot be checked yet.`);
  }
  const access = await checkVendorKey(account.vendor as ConnectableVendor, apiKey);
  const columns = { ...sealedColumns(actor, account.vendor, apiKey, access.missingPermission ?? null), sandbox: false };
  await tx.update(integrationAccounts).set(columns).where(eq(integrationAccounts.id, account.id));
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "integration.key_rotated",
    targetType: "integration_account",
    targetId: account.id,
    metadata: { vendor: account.vendor, previousKeyLast4: account.keyLast4, keyLast4: columns.keyLast4 },
  });
  if (account.vendor === "instantly") syncInstantlyAfterCommit(tx, actor, account.id);
  return getIntegrationAccount(tx, actor.workspaceId, account.id);
}

/** Forgets the key; the row stays for its history, and connecting again reuses it. */
export async function disconnectIntegrationAccount(
  tx: Database,
  actor: IntegrationActor,
  { accountId }: { accountId: string },
): Promise<IntegrationAccountView> {
  assertIntegrationsManager(actor);
  const account = await lockedAccount(tx, actor, accountId);
  if (account.status !== "disconnected") {
    await tx
      .update(integrationAccounts)
      .set({
        secretCiphertext: null,
        secretKeyId: null,
        keyLast4: null,
        status: "disconnected",
        lastError: null,
        lastErrorAt: null,
        updatedBy: actor.userId,
      })
      .where(eq(integrationAccounts.id, account.id));
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "integration.disconnected",
      targetType: "integration_account",
      targetId: account.id,
      metadata: { vendor: account.vendor, keyLast4: account.keyLast4 },
    });
  }
  return getIntegrationAccount(tx, actor.workspaceId, account.id);
}

async function lockedAccount(tx: Database, actor: IntegrationActor, accountId: string): Promise<IntegrationAccountView> {
  const [row] = await tx
    .select(VIEW)
    .from(integrationAccounts)
    .where(and(eq(integrationAccounts.id, accountId), eq(integrationAccounts.workspaceId, actor.workspaceId)))
    .for("update");
  if (!row) throw notFound(ACCOUNT_NOT_FOUND);
  return row;
}
