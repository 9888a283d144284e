import "server-only";
import { env } from "@/lib/env";
import type { BrowserSupabaseConfig } from "./client";

/** What the browser client needs; with the embedded auth server the URL is the page's own origin. */
export function browserSupabaseConfig(): BrowserSupabaseConfig {
  const e = env();
  return { url: e.NEXT_PUBLIC_SUPABASE_URL ?? null, anonKey: e.NEXT_PUBLIC_SUPABASE_ANON_KEY };
}
