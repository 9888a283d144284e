import "server-only";
import { bigserial, boolean, integer, jsonb, pgSchema, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

/**
 * GoTrue's tables as the embedded auth server sees them (supabase/compat.sql and
 * supabase/embedded-auth.sql create them). Declared here, outside db/schema, so drizzle-kit
 * never tries to manage the `auth` schema.
 */
const auth = pgSchema("auth");
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export type Metadata = Record<string, unknown>;
export type AmrEntry = { method: string; timestamp: number };

export const authUsers = auth.table("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  aud: varchar("aud", { length: 255 }),
  role: varchar("role", { length: 255 }),
  email: varchar("email", { length: 255 }),
  encryptedPassword: varchar("encrypted_password", { length: 255 }),
  emailConfirmedAt: timestamptz("email_confirmed_at"),
  invitedAt: timestamptz("invited_at"),
  lastSignInAt: timestamptz("last_sign_in_at"),
  rawAppMetaData: jsonb("raw_app_meta_data").$type<Metadata>().notNull().default({}),
  rawUserMetaData: jsonb("raw_user_meta_data").$type<Metadata>().notNull().default({}),
  isAnonymous: boolean("is_anonymous").notNull().default(false),
  bannedUntil: timestamptz("banned_until"),
  deletedAt: timestamptz("deleted_at"),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

export const authSessions = auth.table("sessions", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull(),
  aal: text("aal").notNull(),
  amr: jsonb("amr").$type<AmrEntry[]>().notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  notAfter: timestamptz("not_after"),
});

export const authRefreshTokens = auth.table("refresh_tokens", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  tokenHash: text("token_hash").notNull(),
  userId: uuid("user_id").notNull(),
  sessionId: uuid("session_id").notNull(),
  parentHash: text("parent_hash"),
  revoked: boolean("revoked").notNull().default(false),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

export const ONE_TIME_TOKEN_TYPES = ["magiclink", "invite", "recovery", "signup"] as const;
export type OneTimeTokenType = (typeof ONE_TIME_TOKEN_TYPES)[number];

export const authOneTimeTokens = auth.table("one_time_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull(),
  tokenType: text("token_type").$type<OneTimeTokenType>().notNull(),
  tokenHash: text("token_hash").notNull(),
  otpHash: text("otp_hash").notNull(),
  expiresAt: timestamptz("expires_at").notNull(),
  usedAt: timestamptz("used_at"),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
});

export const authPendingEmails = auth.table("pending_emails", {
  tokenId: uuid("token_id").primaryKey(),
  toAddress: text("to_address").notNull(),
  nextPath: text("next_path").notNull(),
  attempts: integer("attempts").notNull().default(1),
  nextAttemptAt: timestamptz("next_attempt_at").notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
});

export type AuthUser = typeof authUsers.$inferSelect;
export type AuthSession = typeof authSessions.$inferSelect;
