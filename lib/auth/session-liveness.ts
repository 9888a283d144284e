import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor, JwtClaims } from "@/db";

const ZUuid = z.uuid();

/**
 * Whether the session behind verified claims is still live: its row in auth.sessions exists
 * (sign-out deletes it), has not been cut off (`not_after`, set when a reused refresh token
 * revokes the session), and its user is neither banned nor deleted.
 *
 * getClaims() checks only the signature and expiry, so without this an access token kept
 * working for up to an hour after sign-out. We read GoTrue's own tables rather than call
 * getUser(): one primary-key lookup on the database the action is about to use anyway, instead
 * of an HTTP round trip to the auth server on every mutation. The embedded auth server keeps
 * sessions in GoTrue's layout, and on hosted Supabase the same auth.sessions and auth.users
 * live in the project's database that DATABASE_URL points at (readable by its `postgres` role).
 * There GoTrue answers a refresh-token replay by revoking the tokens, not the session row, so
 * after a replay the last access token lives out its hour; GoTrue's own getUser() accepts it
 * too, so calling it instead would buy nothing for its cost.
 */
export async function isSessionLive(db: Executor, claims: JwtClaims): Promise<boolean> {
  const sessionId = ZUuid.safeParse(claims.session_id);
  const userId = ZUuid.safeParse(claims.sub);
  if (!sessionId.success || !userId.success) return false;
  const [row] = await db.execute<{ live: boolean }>(sql`
    select exists (
      select 1
      from auth.sessions s
      join auth.users u on u.id = s.user_id
      where s.id = ${sessionId.data}
        and s.user_id = ${userId.data}
        and (s.not_after is null or s.not_after > now())
        and (u.banned_until is null or u.banned_until <= now())
        and u.deleted_at is null
    ) as live`);
  return row?.live === true;
}
