import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { serviceDb, type Executor } from "@/db";
import { env } from "@/lib/env";
import { parseEmailAddress } from "./email-address";
import {
  anonymousSignInsDisabled,
  GoTrueError,
  phoneLoginsDisabled,
  phoneSignupsDisabled,
  signupDisabled,
  validationFailed,
} from "./errors";
import { readJsonBody, sameOriginPath } from "./http";
import { issueOneTimeToken, secondsSinceLastToken } from "./one-time-tokens";
import { assertAcceptablePassword, hashPassword } from "./passwords";
import type { AuthCaller } from "./handler";
import { recordAuthEmail, sendAfterAnswer } from "./pending-emails";
import { assertCanSendAuthEmail, consumeEmailAllowance } from "./send-auth-email";
import type { AuthUser, Metadata } from "./tables";
import { findUserByEmail, findUserById, insertUser, toUserJson, updateUser } from "./users";

/** GoTrue's SMTP max frequency: one confirmation email per address per minute. */
const CONFIRMATION_INTERVAL_SECONDS = 60;

const ZSignup = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * POST /signup: GoTrue's email + password sign-up with confirmation always on (mailer
 * autoconfirm off), so it answers with a user and no session, and mails a link and a code.
 * Behind AUTH_ENABLE_SIGNUP; off, it is GoTrue's `signup_disabled` refusal. The email is sent
 * after the answer (pending-emails.ts), so neither the answer nor its timing tells whether the
 * address was registered; GoTrue waits for it, and answers 500 when it fails.
 */
export async function handleSignup(request: Request, _param: string, caller: AuthCaller): Promise<Response> {
  const body = await readJsonBody(request, ZSignup);
  // GoTrue's order: a body without email or phone asks for an anonymous sign-in.
  if (!body.email && !body.phone) throw anonymousSignInsDisabled();
  if (!env().AUTH_ENABLE_SIGNUP) throw signupDisabled();
  if (!body.password) throw validationFailed("Signup requires a valid password");
  assertAcceptablePassword(body.password);
  if (body.email && body.phone) throw validationFailed("Only an email address or phone number should be provided on signup.");
  if (body.phone) throw phoneSignupsDisabled();
  const email = parseEmailAddress(body.email);
  const data = body.data ?? {};
  assertCanSendAuthEmail();
  await consumeEmailAllowance(caller.clientIp);

  // Hashed whatever the outcome, so a registered address costs the same time as a new one.
  const encryptedPassword = await hashPassword(body.password);
  const next = sameOriginPath(new URL(request.url).searchParams.get("redirect_to"));
  const outcome = await serviceDb().transaction(async (tx) => {
    const recordConfirmation = async (userId: string) => recordAuthEmail(tx, await issueOneTimeToken(tx, userId, "signup"), email, next);
    const existing = await lockUserByEmail(tx, email);
    if (!existing) {
      // A concurrent sign-up for the same address may insert first: answered as a registered one.
      const user = await insertUser(tx, { email, encryptedPassword, userMetadata: data }).catch(unlessEmailExists);
      if (!user) return { user: null, pending: null, isNew: false };
      return { user, pending: await recordConfirmation(user.id), isNew: true };
    }
    if (existing.emailConfirmedAt) return { user: existing, pending: null, isNew: false };
    // An unconfirmed address: nobody has proven it yet. The newest sign-up's password goes
    // with the newest link (which retires the earlier ones), so a link confirms only the
    // password that was set when it was sent. Within the interval, nothing changes.
    if (await sentRecently(tx, existing)) return { user: existing, pending: null, isNew: false };
    await updateUser(tx, existing.id, { encryptedPassword });
    return { user: existing, pending: await recordConfirmation(existing.id), isNew: false };
  });

  sendAfterAnswer(outcome.pending);
  // GoTrue answers a registered address with a made-up user; ours has the same shape as a
  // new user's, so the answer tells nobody whether the address was already registered.
  return Response.json(outcome.isNew && outcome.user ? toUserJson(outcome.user) : obfuscatedUser(email, data));
}

const ZResend = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});
const EMAIL_RESEND_TYPES = ["signup", "email_change"];
const PHONE_RESEND_TYPES = ["sms", "phone_change"];

/**
 * POST /resend: mails the confirmation again to an unconfirmed address, after the answer. Unknown,
 * confirmed and recently mailed addresses get the same empty answer, as in GoTrue (less its 429).
 */
export async function handleResend(request: Request, _param: string, caller: AuthCaller): Promise<Response> {
  const body = await readJsonBody(request, ZResend);
  const type = body.type ?? "";
  if (![...EMAIL_RESEND_TYPES, ...PHONE_RESEND_TYPES].includes(type)) {
    throw validationFailed("Missing one of these types: signup, email_change, sms, phone_change");
  }
  if (EMAIL_RESEND_TYPES.includes(type) && !body.email) throw validationFailed("Type provided requires an email address");
  if (PHONE_RESEND_TYPES.includes(type)) {
    if (!body.phone) throw validationFailed("Type provided requires a phone number");
    throw phoneLoginsDisabled();
  }
  if (body.phone) throw validationFailed("Only an email address or phone number should be provided.");
  const email = parseEmailAddress(body.email);
  // This server never has an email change pending (PUT /user refuses them).
  if (type === "email_change") return Response.json({});
  assertCanSendAuthEmail();
  await consumeEmailAllowance(caller.clientIp);

  const next = sameOriginPath(new URL(request.url).searchParams.get("redirect_to"));
  const pending = await serviceDb().transaction(async (tx) => {
    const user = await lockUserByEmail(tx, email);
    if (!user || user.emailConfirmedAt || (await sentRecently(tx, user))) return null;
    return recordAuthEmail(tx, await issueOneTimeToken(tx, user.id, "signup"), email, next);
  });
  sendAfterAnswer(pending);
  return Response.json({});
}

function unlessEmailExists(error: unknown): null {
  if (error instanceof GoTrueError && error.errorCode === "email_exists") return null;
  throw error;
}

async function sentRecently(tx: Executor, user: AuthUser): Promise<boolean> {
  const elapsed = await secondsSinceLastToken(tx, user.id, ["signup"]);
  return elapsed !== null && elapsed < CONFIRMATION_INTERVAL_SECONDS;
}

/** The row lock serialises concurrent sign-ups for one address. */
async function lockUserByEmail(tx: Executor, email: string): Promise<AuthUser | undefined> {
  const user = await findUserByEmail(tx, email);
  return user && findUserById(tx, user.id, { forUpdate: true });
}

/** What a brand-new unconfirmed user would look like, with a fresh id that belongs to nobody. */
function obfuscatedUser(email: string, userMetadata: Metadata) {
  const now = new Date();
  return toUserJson({
    id: randomUUID(),
    aud: "authenticated",
    role: "authenticated",
    email,
    encryptedPassword: null,
    emailConfirmedAt: null,
    invitedAt: null,
    lastSignInAt: null,
    rawAppMetaData: {},
    rawUserMetaData: userMetadata,
    isAnonymous: false,
    bannedUntil: null,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
  });
}
