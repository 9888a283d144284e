import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb } from "@/db";
import { inviteEmail } from "./emails";
import { emailExists } from "./errors";
import { confirmLink, readJsonBody } from "./http";
import { issueOneTimeToken } from "./one-time-tokens";
import { sendAuthEmail } from "./send-auth-email";
import { findUserByEmail, findUserById, insertUser, mergeMetadata, toUserJson, updateUser } from "./users";

/** Where an accepted invitation lands: the invitee has a session but no password yet. */
const INVITE_NEXT = "/auth/set-password";

const ZInvite = z.object({
  email: z
    .string()
    .trim()
    .pipe(z.email({ message: "Unable to validate email address: invalid format" })),
  data: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * POST /invite (service role). Creates the user, or reuses one who never confirmed, and mails
 * a 24-hour link. A confirmed user is an `email_exists` error, as in GoTrue.
 */
export async function handleInvite(request: Request): Promise<Response> {
  const body = await readJsonBody(request, ZInvite);
  const { user, token } = await serviceDb().transaction(async (tx) => {
    const found = await findUserByEmail(tx, body.email);
    const existing = found && (await findUserById(tx, found.id, { forUpdate: true }));
    if (existing?.emailConfirmedAt) throw emailExists();
    const invited = existing
      ? await updateUser(tx, existing.id, {
          invitedAt: sql`now()`,
          rawUserMetaData: mergeMetadata(existing.rawUserMetaData, body.data ?? undefined),
        })
      : await insertUser(tx, { email: body.email, invited: true, userMetadata: body.data ?? {} });
    return { user: invited, token: await issueOneTimeToken(tx, invited.id, "invite") };
  });
  await sendAuthEmail(user.email ?? body.email, inviteEmail({ link: confirmLink(token.linkToken, "invite", INVITE_NEXT) }));
  return Response.json(toUserJson(user));
}
