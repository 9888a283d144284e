import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb, type Executor } from "@/db";
import { emulatorConfig } from "./config";
import { parseEmailAddress } from "./email-address";
import { emailExists, GoTrueError, validationFailed } from "./errors";
import { readJsonBody, sameOriginPath } from "./http";
import { issueOneTimeToken } from "./one-time-tokens";
import { assertAcceptablePassword, hashPassword } from "./passwords";
import type { AuthUser, OneTimeTokenType } from "./tables";
import { findUserByEmail, findUserById, insertUser, mergeMetadata, toUserJson, updateUser } from "./users";

const ZGenerateLink = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  new_email: z.string().nullish(),
  password: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  redirect_to: z.string().nullish(),
});
type GenerateLinkInput = z.infer<typeof ZGenerateLink>;

const userNotFoundByEmail = () => new GoTrueError(404, "user_not_found", "User with this email not found");

/**
 * POST /admin/generate_link (service role): GoTrue's email links without the email. Answers
 * the user plus `action_link` (this server's GET /verify), `email_otp`, `hashed_token` (what
 * verifyOtp takes as token_hash), `redirect_to` and `verification_type`; nothing is sent.
 */
export async function handleGenerateLink(request: Request): Promise<Response> {
  const body = await readJsonBody(request, ZGenerateLink);
  const email = parseEmailAddress(body.email);
  const redirectTo = new URL(
    sameOriginPath(new URL(request.url).searchParams.get("redirect_to") ?? body.redirect_to ?? null),
    emulatorConfig().appUrl,
  ).toString();
  // A new user's password is hashed before the transaction, as GoTrue does, to keep it short.
  const newUserPassword = await passwordForNewUser(body);

  const { user, type, token } = await serviceDb().transaction(async (tx) => {
    const found = await findUserByEmail(tx, email);
    const existing = found && (await findUserById(tx, found.id, { forUpdate: true }));
    const { user, type } = await prepareUser(tx, body, email, existing, newUserPassword);
    return { user, type, token: await issueOneTimeToken(tx, user.id, type) };
  });

  const actionLink = new URL(`${emulatorConfig().issuer}/verify`);
  actionLink.searchParams.set("token", token.linkToken);
  actionLink.searchParams.set("type", type);
  actionLink.searchParams.set("redirect_to", redirectTo);
  return Response.json({
    ...toUserJson(user),
    action_link: actionLink.toString(),
    email_otp: token.otp,
    hashed_token: token.linkToken,
    redirect_to: redirectTo,
    verification_type: type,
  });
}

/** Only `signup` takes a password; a magic link for a new address signs up with a random one. */
async function passwordForNewUser(body: GenerateLinkInput): Promise<string | null> {
  if (body.type === "magiclink") return hashPassword(randomBytes(48).toString("base64url"));
  if (body.type !== "signup" || body.password == null) return null;
  assertAcceptablePassword(body.password);
  return hashPassword(body.password);
}

async function prepareUser(
  tx: Executor,
  body: GenerateLinkInput,
  email: string,
  existing: AuthUser | undefined,
  newUserPassword: string | null,
): Promise<{ user: AuthUser; type: OneTimeTokenType }> {
  const data = body.data ?? undefined;
  switch (body.type) {
    case "magiclink":
      if (existing) return { user: existing, type: "magiclink" };
      return { user: await insertUser(tx, { email, encryptedPassword: newUserPassword, userMetadata: data }), type: "signup" };
    case "signup":
      if (existing?.emailConfirmedAt) throw emailExists();
      if (existing)
        return {
          user: await updateUser(tx, existing.id, { rawUserMetaData: mergeMetadata(existing.rawUserMetaData, data) }),
          type: "signup",
        };
      if (!newUserPassword) throw validationFailed("Signup requires a valid password");
      return { user: await insertUser(tx, { email, encryptedPassword: newUserPassword, userMetadata: data }), type: "signup" };
    case "invite":
      if (existing?.emailConfirmedAt) throw emailExists();
      if (existing) {
        const rawUserMetaData = mergeMetadata(existing.rawUserMetaData, data);
        return { user: await updateUser(tx, existing.id, { invitedAt: sql`now()`, rawUserMetaData }), type: "invite" };
      }
      return { user: await insertUser(tx, { email, invited: true, userMetadata: data }), type: "invite" };
    case "recovery":
      if (!existing) throw userNotFoundByEmail();
      return { user: existing, type: "recovery" };
    case "email_change_current":
    case "email_change_new":
      if (!existing) throw userNotFoundByEmail();
      throw new GoTrueError(
        422,
        "email_change_not_supported",
        "The embedded auth server cannot change an email address; an admin can, through the admin API.",
      );
    default:
      throw validationFailed(`Invalid email action link type requested: ${body.type ?? ""}`);
  }
}
