"use client";
import { createBrowserClient } from "@supabase/ssr";

/**
 * Browser client. The URL and anon key come from the server (components/supabase-config),
 * because with the embedded auth server the URL is this app's own origin.
 */
export function createSupabaseBrowserClient(url: string, anonKey: string) {
  return createBrowserClient(url, anonKey);
}
