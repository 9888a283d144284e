"use server";
import { cookies } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { ZSetPassword } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { createSupabaseServerClient } from "@/lib/supabase/server";

export const setPassword = defineAction({
  name: "setPassword",
  schema: ZSetPassword,
  auth: "signed-in",
  handler: async (_context, { currentPassword, password }) => {
    // The auth server decides what proof it needs: the embedded one the current password
    // (never after an emailed link or reset), as GoTrue does with "require current password";
    // hosted Supabase with secure_password_change (supabase/config.toml) a recent sign-in.
    const { error } = await createSupabaseServerClient(await cookies()).auth.updateUser({
      password,
      current_password: currentPassword || undefined,
    });
    if (error?.code === "current_password_required")
      throw new AppError("invalid_input", "Enter your current password.", { currentPassword: ["Enter your current password."] });
    if (error?.code === "current_password_invalid")
      throw new AppError("invalid_input", "That is not your current password.", {
        currentPassword: ["That is not your current password."],
      });
    if (error?.code === "reauthentication_needed")
      throw new AppError("unauthenticated", "For your security, log in again, then change your password within a day.");
    if (error?.code === "weak_password" || error?.code === "same_password")
      throw new AppError("invalid_input", error.message, { password: [error.message] });
    // Wrong current passwords count as failed sign-ins: past the limit the account is locked for a while.
    if (error?.status === 429) throw new AppError("rate_limited", "Too many attempts — wait a few minutes and try again.");
    if (error) throw new Error(`updateUser failed: ${error.code ?? error.status}`);
    return { saved: true };
  },
});
