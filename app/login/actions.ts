"use server";
import { cookies, headers } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { signInWithPasswordLimited } from "@/lib/auth/password-sign-in";
import { ZMagicLinkRequest, ZPasswordResetRequest, ZSignIn, ZSignOut } from "@/lib/auth/schemas";
import { requestPasswordReset, requestSignInLink } from "@/lib/auth/sign-in-emails";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { createSupabaseServerClient } from "@/lib/supabase/server";

/** The browser's IP and a Supabase client that reaches the auth server on its behalf. */
async function browserRequest({ passwordAttemptCounted = false } = {}) {
  const ip = clientIpFromHeaders(await headers());
  return { ip, supabase: createSupabaseServerClient(await cookies(), { clientIp: ip, passwordAttemptCounted }) };
}

export const signIn = defineAction({
  name: "signIn",
  schema: ZSignIn,
  auth: "public",
  handler: async (_context, { email, password, next }) => {
    const { ip, supabase } = await browserRequest({ passwordAttemptCounted: true });
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
    const { ip, supabase } = await browserRequest();
    await requestSignInLink(supabase, { ip, email, redirectTo: `${env().APP_URL}${next}` });
    return { sentTo: email };
  },
});

/** The same for a password-reset link, which leads to /auth/set-password. */
export const requestPasswordResetLink = defineAction({
  name: "requestPasswordResetLink",
  schema: ZPasswordResetRequest,
  auth: "public",
  handler: async (_context, { email }) => {
    const { ip, supabase } = await browserRequest();
    await requestPasswordReset(supabase, { ip, email, redirectTo: `${env().APP_URL}/auth/set-password` });
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
