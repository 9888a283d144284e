import "server-only";
import { createServerClient, type CookieOptions } from "@supabase/ssr";
import { env, supabaseUrl } from "@/lib/env";
import { AUTH_COOKIE_NAME } from "./cookie";

export type CookieStore = {
  getAll(): { name: string; value: string }[];
  set(name: string, value: string, options?: CookieOptions): unknown;
};

/**
 * A Supabase client for one request. The caller hands over the request's cookie store, so
 * nothing in lib/ reads request state implicitly. Never keep one in a module variable.
 */
export function createSupabaseServerClient(cookieStore: CookieStore) {
  return createServerClient(supabaseUrl(), env().NEXT_PUBLIC_SUPABASE_ANON_KEY, {
    cookieOptions: { name: AUTH_COOKIE_NAME },
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll(cookiesToSet) {
        try {
          for (const { name, value, options } of cookiesToSet) cookieStore.set(name, value, options);
        } catch {
          // Server Components cannot set cookies; the proxy refreshes the session instead.
        }
      },
    },
  });
}
