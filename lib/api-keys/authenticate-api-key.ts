import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { ParameterOrJSON, TransactionSql } from "postgres";
import type { Executor, JwtClaims } from "@/db";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { cappedRole, SCOPE_ROLES, type ApiKeyScope } from "./scopes";
import { hashApiKeySecret, looksLikeApiKey } from "./secret";

/** Who a request with a valid key acts as: its creator, in its workspace, at the capped role. */
export type ApiKeyPrincipal = {
  keyId: string;
  workspaceId: string;
  scope: ApiKeyScope;
  userId: string;
  role: WorkspaceRole;
  /** For withUserTx: the creator's id, and the cap RLS applies (migration 0054). */
  claims: JwtClaims;
};

export type ApiKeyRefusal = "invalid_api_key" | "api_key_revoked" | "api_key_expired" | "api_key_inactive";

type Row = {
  id: string;
  workspace_id: string;
  scope: ApiKeyScope;
  created_by: string;
  email: string | null;
  revoked: boolean;
  expired: boolean;
  member_role: WorkspaceRole | null;
  user_live: boolean;
};

/**
 * Looks a secret up by its hash on the service connection (no user yet) and says whether it
 * may act: not revoked, not expired, and its creator still a member of its workspace, neither
 * banned nor deleted. The same statement notes the use (at most once a minute, so a busy key
 * does not write on every request).
 */
export async function authenticateApiKey(db: Executor, secret: string): Promise<ApiKeyPrincipal | ApiKeyRefusal> {
  if (!looksLikeApiKey(secret)) return "invalid_api_key";
  const [row] = await db.execute<Row>(sql`
    with found as (${keyState(sql`k.secret_hash = ${hashApiKeySecret(secret)}`)}), touched as (
      update public.api_keys k set last_used_at = now()
      from found f
      where k.id = f.id and not f.revoked and not f.expired and f.member_role is not null and f.user_live
        and (k.last_used_at is null or k.last_used_at < now() - interval '1 minute')
      returning k.id
    )
    select * from found`);
  const refusal = refusalOf(row);
  if (refusal || !row?.member_role) return refusal ?? "api_key_inactive";
  const role = cappedRole(row.member_role, row.scope);
  return {
    keyId: row.id,
    workspaceId: row.workspace_id,
    scope: row.scope,
    userId: row.created_by,
    role,
    claims: {
      sub: row.created_by,
      role: "authenticated",
      aud: "authenticated",
      ...(row.email ? { email: row.email } : {}),
      api_key: { id: row.id, workspace_id: row.workspace_id, role: SCOPE_ROLES[row.scope] },
    },
  };
}

/**
 * Why a key that worked when its request arrived no longer does, by its id: revoked, expired, or
 * its creator no longer an active member (null: it still works). For the refusal of a write whose
 * key stopped working while its body arrived (lib/public-api/errors.ts, keyWithdrawn).
 */
export async function apiKeyRefusalById(db: Executor, keyId: string): Promise<ApiKeyRefusal | null> {
  const [row] = await db.execute<Row>(keyState(sql`k.id = ${keyId}`));
  return refusalOf(row);
}

const dialect = new PgDialect();

/**
 * The same question in a transaction of postgres.js's own (the bulk upsert's, on the service
 * connection, just before it commits: lib/api-keys/key-still-active.ts), from the same statement.
 * The creator's account and then the key are locked first (FOR SHARE, in the order
 * private.api_key_still_active takes them, migration 0145; an account's delete takes the same):
 * a revoke or a ban committing meanwhile is waited for and then read, and one that comes later
 * waits for this transaction's commit.
 */
export async function apiKeyRefusalInTransaction(tx: TransactionSql, keyId: string): Promise<ApiKeyRefusal | null> {
  await tx`select 1 from auth.users u where u.id = (select k.created_by from public.api_keys k where k.id = ${keyId}) for share`;
  await tx`select 1 from public.api_keys k where k.id = ${keyId} for share`;
  const query = dialect.sqlToQuery(keyState(sql`k.id = ${keyId}`));
  const [row] = await tx.unsafe<Row[]>(query.sql, query.params as ParameterOrJSON<never>[]);
  return refusalOf(row);
}

/** A key's state as every question reads it: the key, its creator's membership in its workspace, the creator's account. */
function keyState(where: SQL): SQL {
  return sql`
    select k.id, k.workspace_id, k.scope, k.created_by, u.email,
           k.revoked_at is not null as revoked,
           k.expires_at is not null and k.expires_at <= now() as expired,
           m.role as member_role,
           (u.id is not null and u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())) as user_live
    from public.api_keys k
    left join public.workspace_members m on m.workspace_id = k.workspace_id and m.user_id = k.created_by
    left join auth.users u on u.id = k.created_by
    where ${where}`;
}

function refusalOf(row: Row | undefined): ApiKeyRefusal | null {
  if (!row) return "invalid_api_key";
  if (row.revoked) return "api_key_revoked";
  if (row.expired) return "api_key_expired";
  if (!row.member_role || !row.user_live) return "api_key_inactive";
  return null;
}
