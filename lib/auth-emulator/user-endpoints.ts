import "server-only";
import { z } from "zod";
import { serviceDb } from "@/db";
import {
  currentPasswordInvalid,
  currentPasswordRequired,
  GoTrueError,
  samePassword,
  sessionNotFound,
  userNotFoundFromJwt,
  validationFailed,
} from "./errors";
import { requireBearerToken, readJsonBody } from "./http";
import { beginPasswordCheck } from "@/lib/rate-limit/password-sign-in";
import { assertAcceptablePassword, hashPassword, verifyPassword } from "./passwords";
import { endAllSessions, endSessions, findLiveSession, type LogoutScope } from "./sessions";
import type { AuthSession, AuthUser } from "./tables";
import { verifyAccessToken, type AccessClaims } from "./tokens";
import { findUserById, mergeMetadata, normaliseEmail, toUserJson, updateUser, type UserChanges } from "./users";

export type AuthenticatedRequest = { claims: AccessClaims; session: AuthSession; user: AuthUser };

/** A valid signature is not enough: the session must still exist, as GoTrue checks. */
export async function authenticateUser(request: Request): Promise<AuthenticatedRequest> {
  const claims = await verifyAccessToken(requireBearerToken(request));
  const db = serviceDb();
  const session = await findLiveSession(db, claims.session_id);
  if (!session || session.userId !== claims.sub) throw sessionNotFound();
  const user = await findUserById(db, claims.sub);
  if (!user) throw userNotFoundFromJwt();
  return { claims, session, user };
}

/** GET /user */
export async function handleGetUser(request: Request): Promise<Response> {
  const { user } = await authenticateUser(request);
  return Response.json(toUserJson(user));
}

const ZMetadata = z.record(z.string(), z.unknown());
const ZUpdateUser = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  current_password: z.string().nullish(),
  data: ZMetadata.nullish(),
});

/** PUT /user: password and user_metadata. A new password signs out the user's other sessions, as GoTrue does. */
export async function handleUpdateUser(request: Request): Promise<Response> {
  const { user, session } = await authenticateUser(request);
  const body = await readJsonBody(request, ZUpdateUser);
  if (body.email && normaliseEmail(body.email) !== user.email) {
    throw new GoTrueError(
      422,
      "email_change_not_supported",
      "The embedded auth server cannot change an email address; an admin can, through the admin API.",
    );
  }
  if (body.phone) throw new GoTrueError(422, "phone_provider_disabled", "Phone sign-in is not supported");

  const changes: UserChanges = {};
  if (body.password != null) {
    assertAcceptablePassword(body.password);
    if (user.encryptedPassword) await checkPasswordChange(user, session, body.password, body.current_password);
    changes.encryptedPassword = await hashPassword(body.password);
  }
  if (body.data) changes.rawUserMetaData = mergeMetadata(user.rawUserMetaData, body.data);

  const updated = await serviceDb().transaction(async (tx) => {
    const saved = await updateUser(tx, user.id, changes);
    if (changes.encryptedPassword) await endAllSessions(tx, user.id, { except: session.id });
    return saved;
  });
  return Response.json(toUserJson(updated));
}

/** GoTrue's Session.IsRecovery(): signed in through an emailed link or code, which proves the mailbox. */
const RECOVERY_METHODS = new Set(["otp", "magiclink", "recovery"]);

function isRecoverySession(session: AuthSession): boolean {
  return session.amr.some((entry) => RECOVERY_METHODS.has(entry.method));
}

/**
 * GoTrue's secure password change, always on here: a stolen session (a borrowed laptop, a
 * leaked cookie) must not be enough to lock the owner out. Whoever has a password proves it,
 * unless this session itself came from an emailed link, as a reset does; and the new password
 * must differ from the current one.
 *
 * A wrong current password is a guess at the password by whoever holds the session, so each
 * check takes a place in the account's sign-in failure window and its lock-out refuses them as
 * it refuses sign-ins. (In a session from an emailed link a guessed new password is no oracle:
 * unless it is the current one, it becomes the password.)
 */
async function checkPasswordChange(user: AuthUser, session: AuthSession, password: string, presented: string | null | undefined) {
  if (!isRecoverySession(session)) {
    if (!presented) throw currentPasswordRequired();
    const attempt = await beginPasswordCheck(user.email ?? user.id);
    if (!(await verifyPassword(presented, user.encryptedPassword!))) {
      await attempt.failed();
      throw currentPasswordInvalid();
    }
    await attempt.succeeded({ forgive: true });
  }
  if (await verifyPassword(password, user.encryptedPassword!)) throw samePassword();
}

const LOGOUT_SCOPES = ["global", "local", "others"] as const;

/** POST /logout?scope=global|local|others */
export async function handleLogout(request: Request): Promise<Response> {
  const scope = new URL(request.url).searchParams.get("scope") ?? "global";
  if (!LOGOUT_SCOPES.includes(scope as LogoutScope)) throw validationFailed("Invalid field `scope`: must be global, local or others");
  const { user, session } = await authenticateUser(request);
  await endSessions(serviceDb(), { userId: user.id, sessionId: session.id, scope: scope as LogoutScope });
  return new Response(null, { status: 204 });
}
