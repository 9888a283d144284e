import "server-only";
import type { TransactionSql } from "postgres";
import { env } from "@/lib/env";
import { openAfterCommit, runAfterCommit } from "./after-commit";
import { connect, type Database } from "./client";

export type { Database, Executor } from "./client";
export { mainPoolSize } from "./client";

/** Claims of a verified Supabase session, as PostgREST would put them in request.jwt.claims. */
export type JwtClaims = { sub: string; role: "authenticated"; email?: string; [claim: string]: unknown };

/**
 * The service-role executor: bypasses RLS. Only for jobs, webhooks, the embedded auth server,
 * seeding and migrations, and every query through it scopes by workspace_id explicitly.
 */
export function serviceDb(url: string = env().DATABASE_URL): Database {
  return connect(url).db;
}

/**
 * The claims RLS may read through auth.uid(), auth.role() and auth.jwt(): who (sub, email,
 * role, aud), which session and how strong (session_id, aal, is_anonymous), the token's
 * lifetime, and app_metadata, which only the server writes. Never user_metadata: any user can
 * set it to anything through PUT /auth/v1/user, so a policy must not be able to trust it.
 * `api_key` is the cap of a REST API key (lib/api-keys/authenticate-api-key.ts): its workspace
 * and role, which the membership helpers apply (migration 0054); it can only narrow rights.
 */
const RLS_CLAIMS = [
  "iss",
  "sub",
  "aud",
  "exp",
  "iat",
  "role",
  "email",
  "session_id",
  "aal",
  "is_anonymous",
  "app_metadata",
  "api_key",
] as const;

export function rlsClaims(claims: JwtClaims): Record<string, unknown> {
  return Object.fromEntries(RLS_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => [name, claims[name]]));
}

/**
 * Runs `work` in a transaction as Supabase's API would for a signed-in user: `role
 * authenticated` (no BYPASSRLS) with the verified, allow-listed claims, so RLS applies to
 * every query.
 *
 * The settings cost no round trip of their own. They are one statement without parameters (a
 * parameter costs postgres.js an extra Describe round trip, as statements are not prepared),
 * sent right after BEGIN is confirmed and before `work` sends anything, so the work's first
 * query is pipelined behind it on the same connection. That ordering is what keeps RLS on: a
 * query is handed to the connection one microtask after it is started, in the order started,
 * and the settings are started first. If they fail, the transaction is aborted and every
 * query after them fails (postgres.js then reports the settings' error and rolls back).
 */
export async function withUserTx<T>(claims: JwtClaims, work: (tx: Database) => Promise<T>, url: string = env().DATABASE_URL): Promise<T> {
  let hooks: ReturnType<typeof openAfterCommit> = [];
  const result = await connect(url).db.transaction(async (tx) => {
    hooks = openAfterCommit(tx);
    const settings = transactionClient(tx).unsafe(userSettingsSql(claims)).execute();
    const [, result] = await Promise.all([settings, work(tx as unknown as Database)]);
    return result;
  });
  // Registered with afterCommit (db/after-commit.ts): reached only once COMMIT succeeded.
  await runAfterCommit(hooks);
  return result;
}

/**
 * A service-role transaction (jobs, webhooks) that, like withUserTx, runs the work registered
 * with afterCommit (db/after-commit.ts) once COMMIT succeeded: a job's notifications and
 * events then exist only if its change does.
 */
export async function withServiceTx<T>(work: (tx: Database) => Promise<T>, url: string = env().DATABASE_URL): Promise<T> {
  let hooks: ReturnType<typeof openAfterCommit> = [];
  const result = await connect(url).db.transaction(async (tx) => {
    hooks = openAfterCommit(tx);
    return work(tx as unknown as Database);
  });
  await runAfterCommit(hooks);
  return result;
}

/** `set_config(…, true)`: both settings end with the transaction, so a pooled connection never keeps them. */
export function userSettingsSql(claims: JwtClaims): string {
  return `select set_config('request.jwt.claims', ${stringLiteral(JSON.stringify(rlsClaims(claims)))}, true), set_config('role', 'authenticated', true)`;
}

/**
 * An escape-string literal: read the same whatever standard_conforming_strings says, with the
 * backslash and the quote as its only special characters. JSON.stringify writes no control
 * characters raw, and a NUL cannot reach a PostgreSQL string at all.
 */
function stringLiteral(value: string): string {
  return `E'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The postgres.js transaction under drizzle's: drizzle keeps it on the transaction's session. */
function transactionClient(tx: unknown): TransactionSql {
  const client = (tx as { session?: { client?: TransactionSql } }).session?.client;
  if (typeof client?.unsafe !== "function" || typeof client.savepoint !== "function") {
    throw new Error("withUserTx: drizzle's transaction no longer exposes its postgres.js client");
  }
  return client;
}
