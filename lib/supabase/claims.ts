import type { SupabaseClient } from "@supabase/supabase-js";

/**
 * The verified claims of the request's session, or null when there is none or it cannot be
 * verified. getClaims() answers most bad tokens with an error, but throws on some crafted
 * ones (a header claiming alg "none" or RS256 with the server's kid, an undecodable cookie):
 * any of those is a visitor who is simply not signed in, never a 500.
 */
export async function readVerifiedClaims(supabase: SupabaseClient): Promise<Record<string, unknown> | null> {
  try {
    const { data } = await supabase.auth.getClaims();
    return (data?.claims as Record<string, unknown> | undefined) ?? null;
  } catch {
    return null;
  }
}
