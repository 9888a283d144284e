import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, generateNonce, hstsHeader } from "@/lib/security/headers";
import { updateSession } from "@/lib/supabase/proxy";
import { switchFromLink } from "@/lib/workspaces/workspace-link";

export async function proxy(request: NextRequest) {
  // Next reads the nonce for its own scripts from the request's CSP header.
  const csp = contentSecurityPolicy({ nonce: generateNonce(), development: process.env.NODE_ENV === "development" });
  request.headers.set("content-security-policy", csp);
  const session = await updateSession(request);
  // A signed-out visitor's redirect to /login keeps the link whole, for after the login.
  const response = (session.headers.has("location") ? null : switchFromLink(request, session)) ?? session;
  response.headers.set("Content-Security-Policy", csp);
  if (new URL(env().APP_URL).protocol === "https:") response.headers.set(hstsHeader().key, hstsHeader().value);
  return response;
}

export const config = {
  // The embedded auth server and outbox answer API clients themselves; static files need no session.
  // The CSV upload checks its session itself: proxying it would buffer the file in memory and
  // hand the route only its first 10 MB (app/api/imports/route.ts). Webhooks carry no session
  // and verify their own signature on the raw body. Unsubscribe links are for people without an
  // account and for mail providers' one-click POSTs: no session is read or refreshed there, and
  // next.config.ts gives them their own CSP (app/unsubscribe/[token]). The vendors' sandboxes are
  // APIs called by the app's own vendor clients with a sandbox key, never with a session.
  // The REST API (api/v1) authenticates each request by its API key, never a session, and reads
  // its bodies itself under a size limit.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|auth/v1/|api/local-resend/|api/sandbox/|api/inngest|api/imports$|api/webhooks/|api/v1/|unsubscribe/[^/]+$|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)",
  ],
};
