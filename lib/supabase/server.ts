import "server-only";
import { createServerClient, type CookieOptions } from "@supabase/ssr";
import type { AuthCaller } from "@/lib/auth-emulator/handler";
import { embeddedAuthFetchFor } from "@/lib/auth-emulator/in-process-fetch";
import { env, isEmbeddedAuth, supabaseUrl } from "@/lib/env";
import { AUTH_COOKIE_NAME, authCookieOptions } from "./cookie";

export type CookieStore = {
  getAll(): { name: string; value: string }[];
  set(name: string, value: string, options?: CookieOptions): unknown;
};

/**
 * A Supabase client for one request. The caller hands over the request's cookie store, so
 * nothing in lib/ reads request state implicitly. Never keep one in a module variable.
 *
 * `caller` is the browser this request serves (its IP as lib/rate-limit/client-ip.ts reads
 * it). With the embedded auth server the client then calls it in-process on that browser's
 * behalf, so its per-IP limits count the browser, not this server's own address. A hosted
 * Supabase only ever sees the app server; the app's own limits cover that case.
 */
export function createSupabaseServerClient(cookieStore: CookieStore, caller?: AuthCaller) {
  return createServerClient(supabaseUrl(), env().NEXT_PUBLIC_SUPABASE_ANON_KEY, {
    global: caller && isEmbeddedAuth() ? { fetch: embeddedAuthFetchFor(caller) } : undefined,
    cookieOptions: { name: AUTH_COOKIE_NAME },
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll(cookiesToSet) {
        try {
          for (const { name, value, options } of cookiesToSet) cookieStore.set(name, value, authCookieOptions(options));
        } catch {
          // Server Components cannot set cookies; the proxy refreshes the session instead.
        }
      },
    },
  });
}
