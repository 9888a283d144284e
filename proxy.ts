import type { NextRequest } from "next/server";
import { updateSession } from "@/lib/supabase/proxy";

export async function proxy(request: NextRequest) {
  return updateSession(request);
}

export const config = {
  // The embedded auth server and outbox answer API clients themselves; static files need no session.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|auth/v1/|api/local-resend/|api/inngest|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
