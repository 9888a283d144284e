"use server";
import { cookies } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { ZSignUp } from "@/lib/auth/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createSupabaseServerClient } from "@/lib/supabase/server";

/**
 * Self-service sign-up (AUTH_ENABLE_SIGNUP). The auth server mails a confirmation link and
 * answers a registered address exactly like a new one, so this says the same to everyone.
 * Once confirmed, the new user lands on /no-workspace and can start a workspace of their own.
 */
export const signUp = defineAction({
  name: "signUp",
  schema: ZSignUp,
  auth: "public",
  handler: async (_context, { fullName, email, password }) => {
    if (!env().AUTH_ENABLE_SIGNUP) throw new AppError("forbidden", "Sign-up is off on this server. Ask an admin to invite you.");
    const supabase = createSupabaseServerClient(await cookies());
    const { error } = await supabase.auth.signUp({
      email,
      password,
      options: { data: { full_name: fullName }, emailRedirectTo: `${env().APP_URL}/leads` },
    });
    if (error?.code === "email_not_configured") throw new AppError("email_not_configured", error.message);
    if (error?.code === "weak_password") throw new AppError("invalid_input", error.message, { password: [error.message] });
    if (error?.status === 429) throw new AppError("unavailable", "Too many attempts. Wait a minute and try again.");
    if (error) throw new Error(`sign-up failed: ${error.code ?? error.status}`);
    return { sentTo: email };
  },
});
