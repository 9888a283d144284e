import type { CookieOptions } from "@supabase/ssr";
import { env } from "@/lib/env";

/**
 * One cookie name for the server and proxy clients. Supabase derives it from the project URL
 * by default; fixing it lets the app be opened on whatever origin (localhost or 127.0.0.1)
 * and still share the session.
 */
export const AUTH_COOKIE_NAME = "sb-lip-auth-token";

/**
 * How long the session cookie lives without use. The proxy writes it again at every token
 * refresh (hourly while someone works), so this is an idle limit, not a working-day limit.
 */
export const AUTH_COOKIE_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/**
 * The flags of every session cookie we write, whatever @supabase/ssr proposes: it forces a
 * 400-day lifetime and leaves the cookie readable by scripts. Nothing in the browser needs the
 * token (sign-out runs on the server), so HttpOnly keeps it from any injected script; Secure
 * whenever the app is served over https. A removal (max-age 0) stays a removal.
 */
export function authCookieOptions(options: CookieOptions = {}, appUrl: string = env().APP_URL): CookieOptions {
  const removal = options.maxAge === 0;
  return {
    ...options,
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    secure: new URL(appUrl).protocol === "https:",
    maxAge: removal ? 0 : AUTH_COOKIE_MAX_AGE_SECONDS,
  };
}
