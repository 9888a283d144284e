import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { refreshTokenAlreadyUsed, refreshTokenNotFound, sessionExpired } from "./errors";
import { authRefreshTokens, authSessions, authUsers, type AuthSession, type AuthUser } from "./tables";
import { deriveChildRefreshToken, generateOpaqueToken, hashToken } from "./tokens";

/**
 * GoTrue's refresh-token reuse interval. @supabase/ssr can refresh the same cookie twice at
 * once (the proxy and a server component or route both see an expiring session); without a
 * grace period the slower request would look like a stolen token and end the session. Within
 * this window a used token gets the child it already produced instead of a revocation.
 */
export const REFRESH_TOKEN_REUSE_SECONDS = 10;
/** How far down a rotation chain a reused token may look for the live descendant. */
const MAX_DESCENDANT_DEPTH = 5;

/** GoTrue's `amr` method names. */
export type SignInMethod = "password" | "otp" | "magiclink" | "invite" | "recovery" | "email/signup";
export type LogoutScope = "global" | "local" | "others";
export type IssuedSession = { session: AuthSession; refreshToken: string };

const sessionIsLive = sql<boolean>`(${authSessions.notAfter} is null or ${authSessions.notAfter} > now())`;

/** Opens a session with its first refresh token; returns the user with `last_sign_in_at` updated. */
export async function startSession(tx: Executor, user: AuthUser, method: SignInMethod): Promise<IssuedSession & { user: AuthUser }> {
  const [session] = await tx
    .insert(authSessions)
    .values({ userId: user.id, aal: "aal1", amr: [{ method, timestamp: Math.floor(Date.now() / 1000) }] })
    .returning();
  const refreshToken = generateOpaqueToken();
  await tx.insert(authRefreshTokens).values({ tokenHash: hashToken(refreshToken), userId: user.id, sessionId: session!.id });
  const [signedIn] = await tx
    .update(authUsers)
    .set({ lastSignInAt: sql`now()` })
    .where(eq(authUsers.id, user.id))
    .returning();
  return { session: session!, refreshToken, user: signedIn ?? user };
}

export async function findLiveSession(db: Executor, sessionId: string): Promise<AuthSession | undefined> {
  const [session] = await db
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.id, sessionId), sessionIsLive))
    .limit(1);
  return session;
}

type Rotation = { ok: true; issued: IssuedSession } | { ok: false; error: "not_found" | "already_used" | "session_expired" };

/**
 * Exchanges a refresh token for its successor in the same session. The row lock serialises
 * concurrent refreshes of one token; a token used again after the reuse window revokes its
 * whole session, committed before the error is raised.
 */
export async function rotateRefreshToken(db: Database, rawToken: string): Promise<IssuedSession> {
  const rotation = await db.transaction((tx) => rotateInTransaction(tx, rawToken));
  if (rotation.ok) return rotation.issued;
  if (rotation.error === "not_found") throw refreshTokenNotFound();
  if (rotation.error === "session_expired") throw sessionExpired();
  throw refreshTokenAlreadyUsed();
}

async function rotateInTransaction(tx: Executor, rawToken: string): Promise<Rotation> {
  // Lock only the token row: locking the session too could deadlock a replay that revokes
  // the family against a legitimate refresh of the newest token.
  const [locked] = await tx
    .select({ id: authRefreshTokens.id })
    .from(authRefreshTokens)
    .where(eq(authRefreshTokens.tokenHash, hashToken(rawToken)))
    .for("update");
  if (!locked) return { ok: false, error: "not_found" };
  const [token] = await tx
    .select({
      token: authRefreshTokens,
      session: authSessions,
      sessionLive: sessionIsLive,
      withinReuseWindow: sql<boolean>`${authRefreshTokens.updatedAt} > now() - make_interval(secs => ${REFRESH_TOKEN_REUSE_SECONDS})`,
    })
    .from(authRefreshTokens)
    .innerJoin(authSessions, eq(authSessions.id, authRefreshTokens.sessionId))
    .where(eq(authRefreshTokens.id, locked.id));
  if (!token) return { ok: false, error: "not_found" };

  if (!token.token.revoked) {
    if (!token.sessionLive) return { ok: false, error: "session_expired" };
    return { ok: true, issued: await issueChildToken(tx, token.session, token.token.tokenHash, rawToken) };
  }
  if (token.withinReuseWindow) {
    const descendant = await findLiveDescendant(tx, rawToken);
    if (descendant) return { ok: true, issued: { session: token.session, refreshToken: descendant } };
  }
  await revokeSessionFamily(tx, token.session.id);
  return { ok: false, error: "already_used" };
}

async function issueChildToken(tx: Executor, session: AuthSession, parentHash: string, parent: string): Promise<IssuedSession> {
  await tx
    .update(authRefreshTokens)
    .set({ revoked: true, updatedAt: sql`now()` })
    .where(eq(authRefreshTokens.tokenHash, parentHash));
  const child = deriveChildRefreshToken(parent);
  await tx.insert(authRefreshTokens).values({ tokenHash: hashToken(child), userId: session.userId, sessionId: session.id, parentHash });
  await tx
    .update(authSessions)
    .set({ updatedAt: sql`now()` })
    .where(eq(authSessions.id, session.id));
  return { session, refreshToken: child };
}

/** Children are derived from their parent, so the chain can be followed from the raw token. */
async function findLiveDescendant(tx: Executor, rawToken: string): Promise<string | null> {
  let current = rawToken;
  for (let depth = 0; depth < MAX_DESCENDANT_DEPTH; depth++) {
    const child = deriveChildRefreshToken(current);
    const [row] = await tx
      .select({ revoked: authRefreshTokens.revoked, sessionLive: sessionIsLive })
      .from(authRefreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, authRefreshTokens.sessionId))
      .where(eq(authRefreshTokens.tokenHash, hashToken(child)));
    if (!row) return null;
    if (!row.revoked) return row.sessionLive ? child : null;
    current = child;
  }
  return null;
}

/** A replayed token means it leaked: end the session and every token in it, keeping the rows for recognition. */
async function revokeSessionFamily(tx: Executor, sessionId: string): Promise<void> {
  await tx
    .update(authRefreshTokens)
    .set({ revoked: true, updatedAt: sql`now()` })
    .where(and(eq(authRefreshTokens.sessionId, sessionId), eq(authRefreshTokens.revoked, false)));
  await tx
    .update(authSessions)
    .set({ notAfter: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(authSessions.id, sessionId), sessionIsLive));
}

/** Sign-out: `local` ends this session, `others` every other one, `global` all of the user's. */
export async function endSessions(db: Executor, { userId, sessionId, scope }: { userId: string; sessionId: string; scope: LogoutScope }) {
  if (scope === "local") {
    await db.delete(authSessions).where(and(eq(authSessions.userId, userId), eq(authSessions.id, sessionId)));
    return;
  }
  await endAllSessions(db, userId, { except: scope === "others" ? sessionId : undefined });
}

export async function endAllSessions(db: Executor, userId: string, options: { except?: string } = {}): Promise<void> {
  await db
    .delete(authSessions)
    .where(and(eq(authSessions.userId, userId), options.except ? ne(authSessions.id, options.except) : undefined));
}
