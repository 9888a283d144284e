import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
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
  if (error?.code === "email_exists") {
    throw new AppError("conflict", `An account already exists for ${invitation.email}. Log in, then open the invitation link again.`);
  }
  if (error?.code === "weak_password") throw new AppError("invalid_input", error.message, { password: [error.message] });
  if (error || !data.user) throw new Error(`createUser failed: ${error?.code ?? "no user"}`);

  try {
    const accepted = await acceptInvitation(db, { token, userId: data.user.id, email: invitation.email, fullName });
    return { ...accepted, email: invitation.email };
  } catch (cause) {
    await authAdmin.auth.admin.deleteUser(data.user.id);
    throw cause;
  }
}
