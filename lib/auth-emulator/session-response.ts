import "server-only";
import type { IssuedSession } from "./sessions";
import type { AuthUser } from "./tables";
import { signAccessToken, type SignOptions } from "./tokens";
import { toTokenSubject, toUserJson } from "./users";

/** GoTrue's AccessTokenResponse: what sign-in, refresh and verify all answer with. */
export async function toSessionResponse(user: AuthUser, issued: IssuedSession, options?: SignOptions) {
  const access = await signAccessToken(toTokenSubject(user), issued.session, options);
  return {
    access_token: access.token,
    token_type: "bearer" as const,
    expires_in: access.expiresIn,
    expires_at: access.expiresAt,
    refresh_token: issued.refreshToken,
    user: toUserJson(user),
  };
}
