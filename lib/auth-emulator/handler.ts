import "server-only";
import { isEmbeddedAuth } from "@/lib/env";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { RateLimitedError } from "@/lib/rate-limit/rate-limited";
import { handleCreateUser, handleDeleteUser, handleGetUserById, handleListUsers, handleUpdateUserById } from "./admin-endpoints";
import { handleAuthorize, handleEnrollFactor, handleFactor, handleIdentities, handleSso } from "./disabled-features";
import { GoTrueError, overRequestRateLimit, routeNotFound, toErrorResponse, unexpectedFailure } from "./errors";
import { handleGenerateLink } from "./generate-link-endpoint";
import { preflightResponse, requireApiKey, requireServiceRole, withCors } from "./http";
import { handleInvite } from "./invite-endpoint";
import { handleHealth, handleJwks, handleSettings } from "./meta-endpoints";
import { handleOtp, handleRecover } from "./otp-endpoints";
import { handleResend, handleSignup } from "./signup-endpoint";
import { handleToken } from "./token-endpoint";
import { handleGetUser, handleLogout, handleUpdateUser } from "./user-endpoints";
import { handleVerify, handleVerifyLink } from "./verify-endpoints";

/**
 * Who may call a route. `public` routes are the ones Supabase's gateway leaves open (email
 * links are opened by a browser without an apikey); `api-key` needs the anon or service key;
 * `service-role` needs the service-role key as both apikey and bearer.
 */
type Access = "public" | "api-key" | "service-role";
type Route = {
  method: string;
  path: RegExp;
  access: Access;
  handle: (request: Request, param: string, caller: AuthCaller) => Promise<Response>;
};

/**
 * What the server knows about the caller that the request itself cannot be trusted to say.
 * Over HTTP the client IP comes from X-Forwarded-For as lib/rate-limit/client-ip.ts reads it.
 * An in-process call from the app's own server code (in-process-fetch.ts) passes the IP of the
 * browser it serves, and `passwordAttemptCounted` when the sign-in action has already counted
 * this attempt against the same limits, so one attempt is never counted twice.
 */
export type AuthCaller = { clientIp: string; passwordAttemptCounted?: boolean };

const USER_ID = /^\/admin\/users\/([^/]+)$/;

const ROUTES: Route[] = [
  { method: "POST", path: /^\/signup$/, access: "api-key", handle: handleSignup },
  { method: "POST", path: /^\/resend$/, access: "api-key", handle: handleResend },
  { method: "POST", path: /^\/token$/, access: "api-key", handle: handleToken },
  { method: "GET", path: /^\/user$/, access: "api-key", handle: handleGetUser },
  { method: "PUT", path: /^\/user$/, access: "api-key", handle: handleUpdateUser },
  { method: "POST", path: /^\/logout$/, access: "api-key", handle: handleLogout },
  { method: "POST", path: /^\/otp$/, access: "api-key", handle: handleOtp },
  { method: "POST", path: /^\/recover$/, access: "api-key", handle: handleRecover },
  { method: "POST", path: /^\/verify$/, access: "api-key", handle: handleVerify },
  { method: "GET", path: /^\/verify$/, access: "public", handle: handleVerifyLink },
  { method: "POST", path: /^\/invite$/, access: "service-role", handle: handleInvite },
  { method: "POST", path: /^\/admin\/users$/, access: "service-role", handle: handleCreateUser },
  { method: "GET", path: /^\/admin\/users$/, access: "service-role", handle: handleListUsers },
  { method: "GET", path: USER_ID, access: "service-role", handle: handleGetUserById },
  { method: "PUT", path: USER_ID, access: "service-role", handle: handleUpdateUserById },
  { method: "DELETE", path: USER_ID, access: "service-role", handle: handleDeleteUser },
  { method: "POST", path: /^\/admin\/generate_link$/, access: "service-role", handle: handleGenerateLink },
  // Features this server leaves off answer GoTrue's refusals for them (disabled-features.ts).
  { method: "GET", path: /^\/authorize$/, access: "public", handle: handleAuthorize },
  { method: "POST", path: /^\/sso(\/saml\/acs)?$/, access: "api-key", handle: handleSso },
  { method: "GET", path: /^\/sso\/saml\/metadata$/, access: "api-key", handle: handleSso },
  { method: "GET", path: /^\/user\/identities\/authorize$/, access: "api-key", handle: handleIdentities },
  { method: "DELETE", path: /^\/user\/identities\/[^/]+$/, access: "api-key", handle: handleIdentities },
  { method: "POST", path: /^\/factors$/, access: "api-key", handle: handleEnrollFactor },
  { method: "POST", path: /^\/factors\/[^/]+\/(challenge|verify)$/, access: "api-key", handle: handleFactor },
  { method: "DELETE", path: /^\/factors\/[^/]+$/, access: "api-key", handle: handleFactor },
  { method: "GET", path: /^\/\.well-known\/jwks\.json$/, access: "public", handle: handleJwks },
  { method: "GET", path: /^\/settings$/, access: "api-key", handle: handleSettings },
  { method: "GET", path: /^\/health$/, access: "public", handle: handleHealth },
];

/**
 * The embedded Supabase Auth (GoTrue-compatible) server. `pathname` is the part after
 * /auth/v1; without it, it is taken from the request URL. Answers 404 to everything when a
 * real Supabase project is configured, so the emulator can never shadow it.
 */
export async function handleAuthRequest(
  request: Request,
  pathname: string = authPathOf(request.url),
  caller: AuthCaller = { clientIp: clientIpFromHeaders(request.headers) },
): Promise<Response> {
  if (!isEmbeddedAuth()) return new Response("Not Found", { status: 404 });
  if (request.method === "OPTIONS") return preflightResponse();
  try {
    return withCors(await dispatch(request, pathname, caller));
  } catch (error) {
    if (error instanceof GoTrueError) return withCors(toErrorResponse(error));
    if (error instanceof RateLimitedError) return withCors(toErrorResponse(overRequestRateLimit(error.retryAfterSeconds)));
    logUnexpected(request.method, pathname, error);
    return withCors(toErrorResponse(unexpectedFailure()));
  }
}

async function dispatch(request: Request, pathname: string, caller: AuthCaller): Promise<Response> {
  const path = pathname.replace(/\/+$/, "") || "/";
  for (const route of ROUTES) {
    const match = route.method === request.method ? route.path.exec(path) : null;
    if (!match) continue;
    if (route.access === "api-key") requireApiKey(request);
    if (route.access === "service-role") requireServiceRole(request);
    return route.handle(request, safeDecode(match[1] ?? ""), caller);
  }
  throw routeNotFound();
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function authPathOf(url: string): string {
  const { pathname } = new URL(url);
  const at = pathname.indexOf("/auth/v1");
  return at === -1 ? pathname : pathname.slice(at + "/auth/v1".length) || "/";
}

/**
 * Driver errors arrive wrapped, with the query's parameters (token hashes, password hashes)
 * in the message: log the database's own message and SQLSTATE instead.
 */
function logUnexpected(method: string, pathname: string, error: unknown): void {
  if (!(error instanceof Error)) return console.error(`[auth-emulator] ${method} ${pathname} failed:`, typeof error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const detail = cause ? `${cause.message ?? ""}${cause.code ? ` (SQLSTATE ${cause.code})` : ""}` : error.message;
  console.error(`[auth-emulator] ${method} ${pathname} failed: ${error.name}: ${detail}`, cause ? "" : error.stack);
}
