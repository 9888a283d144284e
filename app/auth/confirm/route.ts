import { cookies } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { ZNextPath } from "@/lib/auth/schemas";
import { createSupabaseServerClient } from "@/lib/supabase/server";

const ZConfirm = z.object({
  token_hash: z.string().min(10),
  type: z.enum(["magiclink", "email", "invite", "recovery", "signup"]),
  next: ZNextPath,
});

/** Where email links (magic link, invite, recovery) land: verifies the token and sets the session cookie. */
export async function GET(request: NextRequest) {
  const parsed = ZConfirm.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const fail = (message: string) => {
    const url = new URL("/login", request.url);
    url.searchParams.set("error", message);
    return NextResponse.redirect(url);
  };
  if (!parsed.success) return fail("That sign-in link is incomplete. Request a new one.");

  const { token_hash, type, next } = parsed.data;
  const supabase = createSupabaseServerClient(await cookies());
  const { error } = await supabase.auth.verifyOtp({ token_hash, type });
  if (error) return fail("That link is invalid, expired or already used. Request a new one.");

  const destination = type === "invite" || type === "recovery" ? "/auth/set-password" : next;
  return NextResponse.redirect(new URL(destination, request.url));
}
