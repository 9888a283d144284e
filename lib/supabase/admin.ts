import "server-only";
import { createClient } from "@supabase/supabase-js";
import { env, supabaseUrl } from "@/lib/env";

/**
 * Service-role client for the Supabase Auth admin API (create and look up users). Jobs,
 * seeding and trusted server flows only; `fetch` lets scripts reach the embedded auth server
 * in-process before the web server is up.
 */
export function createSupabaseAdminClient(options: { fetch?: typeof fetch } = {}) {
  return createClient(supabaseUrl(), env().SUPABASE_SERVICE_ROLE_KEY, {
    auth: { autoRefreshToken: false, persistSession: false, detectSessionInUrl: false },
    global: options.fetch ? { fetch: options.fetch } : undefined,
  });
}
