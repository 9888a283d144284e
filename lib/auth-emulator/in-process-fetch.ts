import "server-only";
import { env, isEmbeddedAuth } from "@/lib/env";
import { authPathOf, handleAuthRequest, type AuthCaller } from "./handler";

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === "string") return input;
  return input instanceof URL ? input.href : input.url;
}

function isEmbeddedAuthUrl(url: string): boolean {
  if (!isEmbeddedAuth()) return false;
  const target = new URL(url);
  return target.origin === new URL(env().APP_URL).origin && target.pathname.startsWith("/auth/v1/");
}

/**
 * A fetch for supabase-js that answers this app's own /auth/v1/* in-process, so scripts such
 * as the seed can use the admin API before the web server is listening. Everything else,
 * including every request to a real Supabase project, goes to the global fetch.
 */
export const embeddedAuthFetch: typeof fetch = async (input, init) => {
  const url = urlOf(input);
  if (!isEmbeddedAuthUrl(url)) return fetch(input, init);
  return handleAuthRequest(new Request(input, init));
};

/**
 * The same, on behalf of a browser request the app is serving: the auth server then counts
 * its limits against that browser's IP (the app read it from its own request), not against
 * the app server's own address that every such call would otherwise share.
 */
export function embeddedAuthFetchFor(caller: AuthCaller): typeof fetch {
  return async (input, init) => {
    const url = urlOf(input);
    if (!isEmbeddedAuthUrl(url)) return fetch(input, init);
    const request = new Request(input, init);
    return handleAuthRequest(request, authPathOf(request.url), caller);
  };
}
