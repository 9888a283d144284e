import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { apiKeys, profiles } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { ApiKeyScope } from "./scopes";
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from "./secret";

/** Settings → API's services: admins only (`api.manage`), checked here and again by RLS. */
export type ApiKeyActor = { workspaceId: string; userId: string; role: WorkspaceRole };

export type ApiKeyRow = {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: string;
  createdByName: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /**
   * False while the account it acts as is banned or deleted: every request with it is then
   * refused (api_key_inactive), though it is neither revoked nor expired (migration 0143).
   */
  creatorActive: boolean;
};

function assertAdmin(actor: ApiKeyActor): void {
  if (!can(actor.role, "api.manage")) throw forbidden("Only an admin can manage API keys. Ask an admin of this workspace.");
}

/**
 * Makes a key and returns its secret, the only time it exists outside the caller: the database
 * keeps its SHA-256. The key acts as `actor`, capped to its scope (lib/api-keys/scopes.ts).
 */
export async function createApiKey(
  tx: Executor,
  actor: ApiKeyActor,
  input: { name: string; scope: ApiKeyScope; expiresInDays: number | null },
): Promise<{ id: string; secret: string }> {
  assertAdmin(actor);
  const secret = generateApiKeySecret();
  let row: { id: string } | undefined;
  try {
    [row] = await tx
      .insert(apiKeys)
      .values({
        workspaceId: actor.workspaceId,
        name: input.name,
        scope: input.scope,
        prefix: displayPrefix(secret),
        secretHash: hashApiKeySecret(secret),
        createdBy: actor.userId,
        expiresAt: input.expiresInDays === null ? null : sql`now() + make_interval(days => ${input.expiresInDays})`,
      })
      .returning({ id: apiKeys.id });
  } catch (error) {
    // A live key of that name already (api_keys_live_name_key; a random secret's hash never repeats).
    if (sqlStateOf(error) !== "23505") throw error;
    throw new AppError("conflict", `A key named “${input.name}” is already in use. Give this one another name, or revoke that one first.`, {
      name: ["A live key of this workspace already has this name."],
    });
  }
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "api_key.created",
    targetType: "api_key",
    targetId: row!.id,
    metadata: { name: input.name, scope: input.scope, expiresInDays: input.expiresInDays },
  });
  return { id: row!.id, secret };
}

/** Every key of the workspace, newest first, revoked ones included (their history). */
export async function listApiKeys(tx: Executor, actor: ApiKeyActor): Promise<ApiKeyRow[]> {
  assertAdmin(actor);
  const rows = await tx
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scope: apiKeys.scope,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      createdByName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      // The inactive keys are asked for once per statement (an uncorrelated subquery).
      creatorActive: sql<boolean>`${apiKeys.id} <> all(array(select private.api_keys_of_inactive_creators(${actor.workspaceId}::uuid)))`,
    })
    .from(apiKeys)
    .leftJoin(profiles, eq(profiles.id, apiKeys.createdBy))
    .where(eq(apiKeys.workspaceId, actor.workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    expiresAt: iso(r.expiresAt),
    lastUsedAt: iso(r.lastUsedAt),
    revokedAt: iso(r.revokedAt),
  }));
}

/** Stops a key at once: the next request with it is refused. Revoking twice changes nothing. */
export async function revokeApiKey(tx: Executor, actor: ApiKeyActor, { keyId }: { keyId: string }): Promise<void> {
  assertAdmin(actor);
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, revokedBy: actor.userId })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, actor.workspaceId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name });
  if (revoked[0]) {
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: keyId,
      metadata: { name: revoked[0].name },
    });
    return;
  }
  const [exists] = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, actor.workspaceId)));
  if (!exists) throw notFound("That API key");
}
