import { cookies } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { ZNextPath } from "@/lib/auth/schemas";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { createSupabaseServerClient } from "@/lib/supabase/server";

const ZConfirm = z.object({
  token_hash: z.string().min(10),
  type: z.enum(["magiclink", "email", "invite", "recovery", "signup"]),
  next: ZNextPath,
});

/** Where email links (magic link, invite, recovery) land: verifies the token and sets the session cookie. */
export async function GET(request: NextRequest) {
  const parsed = ZConfirm.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const fail = (code: "link_incomplete" | "link_invalid") => {
    const url = new URL("/login", request.url);
    url.searchParams.set("error", code);
    return NextResponse.redirect(url);
  };
  if (!parsed.success) return fail("link_incomplete");

  const { token_hash, type, next } = parsed.data;
  // Verified on the browser's behalf: the per-IP verification limit counts the browser.
  const supabase = createSupabaseServerClient(await cookies(), { clientIp: clientIpFromHeaders(request.headers) });
  const { error } = await supabase.auth.verifyOtp({ token_hash, type });
  if (error) return fail("link_invalid");

  const destination = type === "invite" || type === "recovery" ? "/auth/set-password" : next;
  return NextResponse.redirect(new URL(destination, request.url));
}
