import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { env, supabaseUrl } from "@/lib/env";
import { readVerifiedClaims } from "./claims";
import { AUTH_COOKIE_NAME, authCookieOptions } from "./cookie";

// /dev/mail: the development mail catcher, which answers 404 outside development.
// Unsubscribe links never reach the proxy (proxy.ts's matcher).
const PUBLIC_PREFIXES = ["/login", "/signup", "/setup", "/auth/", "/invite/", "/api/", "/dev/mail"];

/**
 * Refreshes the Supabase session cookie on every request and sends signed-out visitors of
 * app pages to /login. This is a convenience, not the guard: every page, action and route
 * checks the session and the role again itself.
 */
export async function updateSession(request: NextRequest): Promise<NextResponse> {
  let response = NextResponse.next({ request });
  const supabase = createServerClient(supabaseUrl(), env().NEXT_PUBLIC_SUPABASE_ANON_KEY, {
    cookieOptions: { name: AUTH_COOKIE_NAME },
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll(cookiesToSet) {
        for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of cookiesToSet) response.cookies.set(name, value, authCookieOptions(options));
      },
    },
  });

  // Nothing may run between creating the client and getClaims(): it is what refreshes the token.
  const claims = await readVerifiedClaims(supabase);

  const path = request.nextUrl.pathname;
  const isPublic = PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix));
  if (!claims && !isPublic) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = path === "/" ? "" : `?next=${encodeURIComponent(path + request.nextUrl.search)}`;
    const redirect = NextResponse.redirect(url);
    for (const cookie of response.cookies.getAll()) redirect.cookies.set(cookie);
    return redirect;
  }
  return response;
}
