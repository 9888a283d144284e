import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { AppError } from "@/lib/errors";
import { acceptInvitation } from "./accept-invitation";
import { assertInvitationUsable, findInvitationByToken } from "./find-invitation";

type Input = { token: string; fullName: string; password: string };

/**
 * For an invitee without an account: creates the Supabase Auth user (through the admin API,
 * so it works against hosted Supabase too) and accepts. If accepting fails, the new user is
 * deleted again, so a failure leaves nothing behind.
 */
export async function acceptInvitationAsNewUser(db: Database, authAdmin: SupabaseClient, { token, fullName, password }: Input) {
  const invitation = await findInvitationByToken(db, token);
  assertInvitationUsable(invitation);

  const { data, error } = await authAdmin.auth.admin.createUser({
    email: invitation.email,
    password,
    email_confirm: true,
    user_metadata: { full_name: fullName },
  });
  if (error?.code === "email_exists") return acceptWithUnconfirmedAccount(db, authAdmin, invitation.email, { token, fullName, password });
  if (error?.code === "weak_password") throw weakPassword(error.message);
  if (error || !data.user) throw new Error(`createUser failed: ${error?.code ?? "no user"}`);

  try {
    const accepted = await acceptInvitation(db, { token, userId: data.user.id, email: invitation.email, fullName });
    return { ...accepted, email: invitation.email };
  } catch (cause) {
    await authAdmin.auth.admin.deleteUser(data.user.id);
    throw cause;
  }
}

const weakPassword = (message: string) => new AppError("invalid_input", message, { password: [message] });

/**
 * The address already has an account. A confirmed one signs in and opens the link again. One
 * never confirmed (a sign-up whose email was not opened, perhaps not even made by the invitee)
 * cannot sign in at all; the invitation's token proves the mailbox, as a confirmation link
 * would, so the account is confirmed with the password given here (any other password set on it
 * stops working) and joins.
 */
async function acceptWithUnconfirmedAccount(db: Database, authAdmin: SupabaseClient, email: string, { token, fullName, password }: Input) {
  const [account] = await db.execute<{ id: string; confirmed: boolean }>(sql`
    select id, email_confirmed_at is not null as confirmed from auth.users where lower(email) = ${email} and deleted_at is null`);
  if (!account || account.confirmed) {
    throw new AppError("conflict", `An account already exists for ${email}. Log in, then open the invitation link again.`);
  }
  const { error } = await authAdmin.auth.admin.updateUserById(account.id, {
    password,
    email_confirm: true,
    user_metadata: { full_name: fullName },
  });
  if (error?.code === "weak_password") throw weakPassword(error.message);
  if (error) throw new Error(`updateUser failed: ${error.code ?? error.status}`);
  const accepted = await acceptInvitation(db, { token, userId: account.id, email, fullName });
  return { ...accepted, email };
}
