import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { emulatorConfig } from "./config";
import { invalidApiKey, noApiKey, noAuthorization, notAdmin, requestTooLarge, validationFailed } from "./errors";
import { readBodyCapped } from "@/lib/security/read-body-capped";

const MAX_BODY_BYTES = 64 * 1024;

/** Parses and validates a JSON body; any problem is GoTrue's 400 validation_failed naming the field. */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await readCappedText(request, MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw validationFailed("Could not parse request body as JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "body";
    throw validationFailed(`Invalid field \`${field}\`: ${issue?.message ?? "invalid value"}`);
  }
  return parsed.data;
}

/** The body as text, never holding more than `maxBytes` of it (readBodyCapped). */
async function readCappedText(request: Request, maxBytes: number): Promise<string> {
  const text = await readBodyCapped(request, maxBytes);
  if (text === null) throw requestTooLarge(maxBytes);
  return text;
}

export function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

export function requireBearerToken(request: Request): string {
  const token = bearerToken(request);
  if (!token) throw noAuthorization();
  return token;
}

/** Compares through fixed-length digests so neither length nor content leaks through timing. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export type ApiKeyRole = "anon" | "service_role";

/** What Supabase's API gateway checks before GoTrue sees a request: an `apikey` it issued. */
export function requireApiKey(request: Request): ApiKeyRole {
  const presented = request.headers.get("apikey") ?? new URL(request.url).searchParams.get("apikey");
  if (!presented) throw noApiKey();
  const config = emulatorConfig();
  if (sameSecret(presented, config.serviceRoleKey)) return "service_role";
  if (sameSecret(presented, config.anonKey)) return "anon";
  throw invalidApiKey();
}

/** Admin endpoints: both the apikey and the bearer must be the service-role key, never a user token. */
export function requireServiceRole(request: Request): void {
  const role = requireApiKey(request);
  const bearer = requireBearerToken(request);
  if (role !== "service_role" || !sameSecret(bearer, emulatorConfig().serviceRoleKey)) throw notAdmin();
}

/**
 * Where an email link sends the user afterwards: the path of `redirect_to` when it points at
 * this app, else "/". Anything cross-origin is dropped, as GoTrue drops URLs off its allow-list.
 */
export function sameOriginPath(redirectTo: string | null): string {
  return safeRedirectPath(redirectTo, emulatorConfig().appUrl) ?? "/";
}

/** The app page that turns an emailed token into a session (it calls verifyOtp with token_hash). */
export function confirmLink(linkToken: string, type: string, next: string): string {
  const url = new URL("/auth/confirm", emulatorConfig().appUrl);
  url.searchParams.set("token_hash", linkToken);
  url.searchParams.set("type", type);
  url.searchParams.set("next", next);
  return url.toString();
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
  "access-control-allow-headers": "authorization, apikey, content-type, x-client-info, x-supabase-api-version",
  "access-control-expose-headers": "x-total-count, link, x-supabase-api-version",
  "access-control-max-age": "600",
};

/** Auth uses bearer headers, not cookies, so like hosted Supabase any origin may call it. */
export function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
  headers.set("cache-control", headers.get("cache-control") ?? "no-store");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export function preflightResponse(): Response {
  return withCors(new Response(null, { status: 204 }));
}
