"use server";
import { cookies, headers } from "next/headers";
import { defineAction } from "@/app/_server/action";
import { ZSignUp } from "@/lib/auth/schemas";
import { emailNotConfigured } from "@/lib/email/delivery";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { authEmailRetryAfterSeconds } from "@/lib/rate-limit/auth-emails";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { tryAgainMessage } from "@/lib/rate-limit/rate-limited";
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
    // On the browser's behalf, so the auth server's email limit counts this browser's IP.
    const ip = clientIpFromHeaders(await headers());
    const supabase = createSupabaseServerClient(await cookies(), { clientIp: ip });
    const { error } = await supabase.auth.signUp({
      email,
      password,
      options: { data: { full_name: fullName }, emailRedirectTo: `${env().APP_URL}/leads` },
    });
    if (error?.code === "email_provider_disabled") throw emailNotConfigured();
    if (error?.code === "weak_password") throw new AppError("invalid_input", error.message, { password: [error.message] });
    if (error?.status === 429) throw new AppError("rate_limited", tryAgainMessage(Math.max(60, await authEmailRetryAfterSeconds(ip))));
    if (error) throw new Error(`sign-up failed: ${error.code ?? error.status}`);
    return { sentTo: email };
  },
});
