import "server-only";
import { count, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb } from "@/db";
import { parseBanDuration } from "./ban-duration";
import { emailExists, GoTrueError, userNotFound, validationFailed } from "./errors";
import { readJsonBody } from "./http";
import { assertAcceptablePassword, hashPassword } from "./passwords";
import { endAllSessions } from "./sessions";
import { authOneTimeTokens, authUsers } from "./tables";
import { findUserByEmail, findUserById, insertUser, mergeMetadata, toUserJson, updateUser, type UserChanges } from "./users";

const ZEmail = z
  .string()
  .trim()
  .pipe(z.email({ message: "Unable to validate email address: invalid format" }));
const ZMetadata = z.record(z.string(), z.unknown());

const ZCreateUser = z.object({
  email: ZEmail,
  password: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  user_metadata: ZMetadata.nullish(),
  app_metadata: ZMetadata.nullish(),
  phone: z.string().nullish(),
});

/** POST /admin/users */
export async function handleCreateUser(request: Request): Promise<Response> {
  const body = await readJsonBody(request, ZCreateUser);
  if (body.phone) throw new GoTrueError(422, "phone_provider_disabled", "Phone sign-in is not supported");
  if (body.password != null) assertAcceptablePassword(body.password);
  const db = serviceDb();
  if (await findUserByEmail(db, body.email)) throw emailExists();
  const user = await insertUser(db, {
    email: body.email,
    encryptedPassword: body.password != null ? await hashPassword(body.password) : null,
    emailConfirmed: body.email_confirm === true,
    userMetadata: body.user_metadata ?? {},
    appMetadata: body.app_metadata ?? {},
  });
  return Response.json(toUserJson(user));
}

const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 1000;

/** GoTrue parses both as unsigned integers and refuses anything else; empty means the default. */
function pageParameter(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name) ?? "";
  if (raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw))
    throw validationFailed(`Bad Pagination Parameters: ${name} must be a whole number, not "${raw.slice(0, 20)}"`);
  return Number(raw);
}

/**
 * GET /admin/users?page=&per_page= — newest first, as GoTrue sorts by default. auth-js reads the
 * totals from X-Total-Count and Link; the Link URLs are GoTrue's: its own path, the request's
 * query with `page` replaced, keys in order (so `page` comes first, which auth-js relies on).
 */
export async function handleListUsers(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const page = Math.max(1, pageParameter(params, "page", 1));
  const perPage = pageParameter(params, "per_page", DEFAULT_PER_PAGE);
  if (perPage < 1) throw validationFailed("Bad Pagination Parameters: per_page must be at least 1");
  const limit = Math.min(perPage, MAX_PER_PAGE);
  const db = serviceDb();
  const live = isNull(authUsers.deletedAt);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(authUsers).where(live);
  const users = await db
    .select()
    .from(authUsers)
    .where(live)
    .orderBy(desc(authUsers.createdAt), desc(authUsers.id))
    .limit(limit)
    .offset((page - 1) * limit);
  const totalPages = Math.ceil(total / limit);
  const link = (p: number, rel: string) => {
    const query = new URLSearchParams(params);
    query.set("page", String(p));
    query.sort();
    return `</admin/users?${query.toString()}>; rel="${rel}"`;
  };
  const links = [...(totalPages > page ? [link(page + 1, "next")] : []), link(totalPages, "last")];
  return Response.json(
    { users: users.map(toUserJson), aud: "authenticated" },
    { headers: { "x-total-count": String(total), link: links.join(", ") } },
  );
}

/** GET /admin/users/:id */
export async function handleGetUserById(_request: Request, id: string): Promise<Response> {
  const user = await findUserById(serviceDb(), id);
  if (!user) throw userNotFound();
  return Response.json(toUserJson(user));
}

const ZAdminUpdate = z.object({
  email: ZEmail.nullish(),
  password: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  user_metadata: ZMetadata.nullish(),
  app_metadata: ZMetadata.nullish(),
  ban_duration: z.string().nullish(),
});

/** PUT /admin/users/:id. A new password or a ban ends the user's sessions. */
export async function handleUpdateUserById(request: Request, id: string): Promise<Response> {
  const body = await readJsonBody(request, ZAdminUpdate);
  if (body.password != null) assertAcceptablePassword(body.password);
  const encryptedPassword = body.password != null ? await hashPassword(body.password) : undefined;
  const updated = await serviceDb().transaction(async (tx) => {
    const user = await findUserById(tx, id, { forUpdate: true });
    if (!user) throw userNotFound();
    const changes: UserChanges = {
      email: body.email ?? undefined,
      encryptedPassword,
      emailConfirmedAt: body.email_confirm && !user.emailConfirmedAt ? sql`now()` : undefined,
      rawUserMetaData: body.user_metadata ? mergeMetadata(user.rawUserMetaData, body.user_metadata) : undefined,
      rawAppMetaData: body.app_metadata ? mergeMetadata(user.rawAppMetaData, body.app_metadata) : undefined,
      bannedUntil: body.ban_duration != null ? parseBanDuration(body.ban_duration) : undefined,
    };
    const saved = await updateUser(tx, user.id, changes);
    if (encryptedPassword || changes.bannedUntil) await endAllSessions(tx, user.id);
    return saved;
  });
  return Response.json(toUserJson(updated));
}

const ZDeleteUser = z.object({ should_soft_delete: z.boolean().nullish() });

/**
 * DELETE /admin/users/:id. A soft delete keeps the row (and what references it) but frees the
 * email, clears the password and ends every session and outstanding link, as GoTrue does.
 */
export async function handleDeleteUser(request: Request, id: string): Promise<Response> {
  const body = await readJsonBody(request, ZDeleteUser);
  const deleted = await serviceDb().transaction(async (tx) => {
    const user = await findUserById(tx, id, { forUpdate: true });
    if (!user) throw userNotFound();
    if (!body.should_soft_delete) {
      await tx.delete(authUsers).where(eq(authUsers.id, user.id));
      return user;
    }
    await endAllSessions(tx, user.id);
    await tx
      .update(authOneTimeTokens)
      .set({ usedAt: sql`now()` })
      .where(eq(authOneTimeTokens.userId, user.id));
    return updateUser(tx, user.id, { email: null, encryptedPassword: null, deletedAt: sql`now()` });
  });
  return Response.json(toUserJson(deleted));
}
