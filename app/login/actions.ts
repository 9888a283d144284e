"use server";
import { cookies, headers } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { signInWithPasswordLimited } from "@/lib/auth/password-sign-in";
import { ZMagicLinkRequest, ZSignIn, ZSignOut } from "@/lib/auth/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { createSupabaseServerClient } from "@/lib/supabase/server";

export const signIn = defineAction({
  name: "signIn",
  schema: ZSignIn,
  auth: "public",
  handler: async (_context, { email, password, next }) => {
    const ip = clientIpFromHeaders(await headers());
    const supabase = createSupabaseServerClient(await cookies(), { clientIp: ip, passwordAttemptCounted: true });
    await signInWithPasswordLimited(supabase, { ip, email }, password);
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

/**
 * Signs out on the server, which alone can clear the HttpOnly session cookie. Public, so that
 * a session that has already ended (or a cookie that no longer verifies) can still be cleared.
 */
export const signOut = defineAction({
  name: "signOut",
  schema: ZSignOut,
  auth: "public",
  handler: async () => {
    const { error } = await createSupabaseServerClient(await cookies()).auth.signOut();
    if (error) throw new AppError("unavailable", "Could not log out. Check your connection and try again.");
    return { signedOut: true };
  },
});
