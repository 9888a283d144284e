"use client";
import { createBrowserClient } from "@supabase/ssr";
import { AUTH_COOKIE_NAME } from "./cookie";

export type BrowserSupabaseConfig = { url: string | null; anonKey: string };

/**
 * Browser client. `url` is null with the embedded auth server, which is this app's own
 * origin: the browser then talks to whatever origin served the page, with no CORS.
 */
export function createSupabaseBrowserClient({ url, anonKey }: BrowserSupabaseConfig) {
  return createBrowserClient(url ?? window.location.origin, anonKey, { cookieOptions: { name: AUTH_COOKIE_NAME } });
}
