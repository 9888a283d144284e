import "server-only";
import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { connect, type Database } from "./client";

export type { Database, Executor } from "./client";

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
 */
const RLS_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "role", "email", "session_id", "aal", "is_anonymous", "app_metadata"] as const;

export function rlsClaims(claims: JwtClaims): Record<string, unknown> {
  return Object.fromEntries(RLS_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => [name, claims[name]]));
}

/**
 * Runs `work` in a transaction as Supabase's API would for a signed-in user: `role
 * authenticated` (no BYPASSRLS) with the verified, allow-listed claims, so RLS applies to
 * every query.
 */
export async function withUserTx<T>(claims: JwtClaims, work: (tx: Database) => Promise<T>, url: string = env().DATABASE_URL): Promise<T> {
  return connect(url).db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('request.jwt.claims', ${JSON.stringify(rlsClaims(claims))}, true), set_config('role', 'authenticated', true)`,
    );
    return work(tx as unknown as Database);
  });
}
