"use server";
import { cookies } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { ZMagicLinkRequest, ZSignIn } from "@/lib/auth/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createSupabaseServerClient } from "@/lib/supabase/server";

export const signIn = defineAction({
  name: "signIn",
  schema: ZSignIn,
  auth: "public",
  handler: async (_context, { email, password, next }) => {
    const supabase = createSupabaseServerClient(await cookies());
    const { error } = await supabase.auth.signInWithPassword({ email, password });
    if (error) {
      if (error.code === "invalid_credentials") throw new AppError("unauthenticated", "That email and password do not match an account.");
      if (error.status === 429) throw new AppError("unavailable", "Too many attempts. Wait a minute and try again.");
      throw new Error(`sign-in failed: ${error.code ?? error.status}`);
    }
    return { redirectTo: next };
  },
});

/** Answers the same whether or not the address has an account, so it reveals nothing. */
export const requestMagicLink = defineAction({
  name: "requestMagicLink",
  schema: ZMagicLinkRequest,
  auth: "public",
  handler: async (_context, { email, next }) => {
    const supabase = createSupabaseServerClient(await cookies());
    const { error } = await supabase.auth.signInWithOtp({
      email,
      options: { shouldCreateUser: false, emailRedirectTo: `${env().APP_URL}${next}` },
    });
    if (error?.status === 429) throw new AppError("unavailable", "A link was sent moments ago. Check your inbox, or wait a minute.");
    if (error && error.code !== "otp_disabled" && error.code !== "user_not_found")
      throw new Error(`magic link failed: ${error.code ?? error.status}`);
    return { sentTo: email };
  },
});
