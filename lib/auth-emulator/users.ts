import "server-only";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { emailExists } from "./errors";
import { authUsers, type AuthUser, type Metadata } from "./tables";
import type { AccessTokenSubject } from "./tokens";

const DEFAULT_APP_METADATA = { provider: "email", providers: ["email"] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GoTrue compares emails case-insensitively; we also store them lower-cased and trimmed. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Executor, email: string): Promise<AuthUser | undefined> {
  const [user] = await db
    .select()
    .from(authUsers)
    .where(and(sql`lower(${authUsers.email}) = ${normaliseEmail(email)}`, isNull(authUsers.deletedAt)))
    .limit(1);
  return user;
}

export async function findUserById(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<AuthUser | undefined> {
  if (!UUID.test(id)) return undefined;
  const query = db
    .select()
    .from(authUsers)
    .where(and(eq(authUsers.id, id), isNull(authUsers.deletedAt)))
    .limit(1);
  const [user] = options.forUpdate ? await query.for("update") : await query;
  return user;
}

export type NewUser = {
  email: string;
  encryptedPassword?: string | null;
  emailConfirmed?: boolean;
  invited?: boolean;
  userMetadata?: Metadata;
  appMetadata?: Metadata;
};

export async function insertUser(db: Executor, input: NewUser): Promise<AuthUser> {
  const [user] = await db
    .insert(authUsers)
    .values({
      aud: "authenticated",
      role: "authenticated",
      email: normaliseEmail(input.email),
      encryptedPassword: input.encryptedPassword ?? null,
      emailConfirmedAt: input.emailConfirmed ? sql`now()` : null,
      invitedAt: input.invited ? sql`now()` : null,
      rawAppMetaData: { ...DEFAULT_APP_METADATA, ...input.appMetadata },
      rawUserMetaData: input.userMetadata ?? {},
    })
    .onConflictDoNothing()
    .returning();
  if (!user) throw emailExists();
  return user;
}

type UserColumns = Omit<typeof authUsers.$inferInsert, "id" | "createdAt" | "updatedAt">;
/** Column values, or SQL such as `now()` so timestamps come from the database clock. */
export type UserChanges = { [K in keyof UserColumns]?: UserColumns[K] | SQL };

export async function updateUser(db: Executor, id: string, changes: UserChanges): Promise<AuthUser> {
  const email = typeof changes.email === "string" ? { email: normaliseEmail(changes.email) } : {};
  try {
    const [user] = await db
      .update(authUsers)
      .set({ ...changes, ...email, updatedAt: sql`now()` })
      .where(eq(authUsers.id, id))
      .returning();
    if (!user) throw new Error("updateUser: the user disappeared inside its own transaction");
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw emailExists();
    throw error;
  }
}

/** drizzle wraps the driver's error; the SQLSTATE is on the cause. */
function isUniqueViolation(error: unknown): boolean {
  const codeOf = (e: unknown) => (typeof e === "object" && e && "code" in e ? (e as { code: unknown }).code : undefined);
  return codeOf(error) === "23505" || (error instanceof Error && codeOf(error.cause) === "23505");
}

/** GoTrue's merge rule for metadata updates: keys are set, and a null value removes a key. */
export function mergeMetadata(current: Metadata, patch: Metadata | undefined): Metadata {
  if (!patch) return current;
  const merged: Metadata = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export function isBanned(user: AuthUser, now = new Date()): boolean {
  return !!user.bannedUntil && user.bannedUntil > now;
}

export function toTokenSubject(user: AuthUser): AccessTokenSubject {
  return { userId: user.id, email: user.email ?? "", appMetadata: appMetadataOf(user), userMetadata: user.rawUserMetaData };
}

function appMetadataOf(user: AuthUser): Metadata {
  return { ...DEFAULT_APP_METADATA, ...user.rawAppMetaData };
}

const iso = (date: Date | null) => date?.toISOString();

/** The user object GoTrue returns; fields GoTrue omits when empty are left undefined. */
export function toUserJson(user: AuthUser) {
  const email = user.email ?? "";
  const identityData = { email, email_verified: !!user.emailConfirmedAt, phone_verified: false, sub: user.id };
  return {
    id: user.id,
    aud: "authenticated",
    role: "authenticated",
    email,
    email_confirmed_at: iso(user.emailConfirmedAt),
    phone: "",
    confirmed_at: iso(user.emailConfirmedAt),
    invited_at: iso(user.invitedAt),
    last_sign_in_at: iso(user.lastSignInAt),
    app_metadata: appMetadataOf(user),
    user_metadata: user.rawUserMetaData,
    identities: email
      ? [
          {
            // One synthesised email identity; GoTrue keeps these in auth.identities.
            identity_id: user.id,
            id: user.id,
            user_id: user.id,
            identity_data: identityData,
            provider: "email",
            last_sign_in_at: iso(user.lastSignInAt),
            created_at: user.createdAt.toISOString(),
            updated_at: user.updatedAt.toISOString(),
            email,
          },
        ]
      : [],
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
    banned_until: iso(user.bannedUntil),
    is_anonymous: false,
  };
}

export type UserJson = ReturnType<typeof toUserJson>;
