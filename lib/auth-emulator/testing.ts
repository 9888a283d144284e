import "server-only";
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { sql } from "drizzle-orm";
import WebSocket from "ws";
import { serviceDb } from "@/db";
import { env } from "@/lib/env";
import { handleLocalResendRequest } from "@/lib/outbox/resend-endpoint";
import { serveWebHandler } from "@/tests/serve-web-handler";
import { handleAuthRequest } from "./handler";

/**
 * Test support for the embedded auth server: serves it (and the local Resend outbox its
 * emails go through) over real HTTP and hands out real supabase-js clients.
 */
export type AuthTestServer = {
  url: string;
  /** A fresh anon client: no shared session state between the steps of a test. */
  anonClient: () => SupabaseClient;
  adminClient: () => SupabaseClient;
  close: () => Promise<void>;
};

function route(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith("/auth/v1/")) return handleAuthRequest(request);
  if (pathname.startsWith("/api/local-resend/")) return handleLocalResendRequest(request, pathname.slice("/api/local-resend".length));
  return Promise.resolve(new Response("Not Found", { status: 404 }));
}

/**
 * Must run before anything in the test file calls env(): lib/env.ts caches the first parse,
 * and APP_URL (token issuer, email links, the outbox address) has to be the served URL.
 */
export async function startAuthTestServer(): Promise<AuthTestServer> {
  const served = await serveWebHandler(route);
  process.env.APP_URL = served.url;
  if (env().APP_URL !== served.url) throw new Error("env() was parsed before startAuthTestServer(); call it first in beforeAll");
  const clientFor = (key: string) =>
    createClient(served.url, key, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // supabase-js refuses to start on Node 20 without a WebSocket implementation.
      realtime: { transport: WebSocket as never },
    });
  return {
    url: served.url,
    anonClient: () => clientFor(env().NEXT_PUBLIC_SUPABASE_ANON_KEY),
    adminClient: () => clientFor(env().SUPABASE_SERVICE_ROLE_KEY),
    close: served.close,
  };
}

/** Unique per call, so test files sharing the database never collide. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 12)}@example.com`;
}

export type OutboxEmail = { subject: string; html: string; text: string };

/** How long a test waits for the auth emails to an address to go out (each is sent after its answer). */
const EMAIL_DEADLINE_MS = 10_000;

/**
 * Waits, as a person waits for their inbox, until no auth email to `address` is still to be sent
 * (pending-emails.ts sends each after the answer). Then the outbox holds everything the calls so
 * far sent: an email that arrives, and one that was never going to, are both known by then.
 */
export async function untilAuthEmailsSent(address: string, deadlineMs = EMAIL_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const [row] = await serviceDb().execute<{ n: number }>(sql`
      select count(*)::int as n from auth.pending_emails where lower(to_address) = ${address.toLowerCase()}`);
    if (!row?.n) return;
    if (Date.now() > deadline) throw new Error(`an auth email to ${address} was still unsent after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The newest email to `address`, once the auth emails to it have gone out. */
export async function latestEmailTo(address: string): Promise<OutboxEmail | undefined> {
  await untilAuthEmailsSent(address);
  const rows = await serviceDb().execute<{ subject: string; html: string | null; text_body: string | null }>(sql`
    select subject, html, text_body from local.outbox_messages
    where ${address.toLowerCase()} = any(select lower(a) from unnest(to_addresses) a)
    order by created_at desc limit 1`);
  const row = rows[0];
  return row && { subject: row.subject, html: row.html ?? "", text: row.text_body ?? "" };
}

/** How many emails `address` has had, once the auth emails to it have gone out. */
export async function countEmailsTo(address: string): Promise<number> {
  await untilAuthEmailsSent(address);
  const rows = await serviceDb().execute<{ n: number }>(sql`
    select count(*)::int as n from local.outbox_messages
    where ${address.toLowerCase()} = any(select lower(a) from unnest(to_addresses) a)`);
  return rows[0]?.n ?? 0;
}

/** The /auth/confirm link and the 6-digit code of an auth email. */
export function readAuthEmail(email: OutboxEmail): { link: URL; tokenHash: string; type: string; next: string; code?: string } {
  const href = /(https?:\/\/\S+\/auth\/confirm\?\S+)/.exec(email.text)?.[1];
  if (!href) throw new Error("no /auth/confirm link in the email");
  const link = new URL(href);
  return {
    link,
    tokenHash: link.searchParams.get("token_hash") ?? "",
    type: link.searchParams.get("type") ?? "",
    next: link.searchParams.get("next") ?? "",
    code: /code: (\d{6})/.exec(email.text)?.[1],
  };
}

/** Creates a confirmed user with a password through the real admin API. */
export async function createConfirmedUser(server: AuthTestServer, label: string, password = "correct horse battery") {
  const email = uniqueEmail(label);
  const { data, error } = await server.adminClient().auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: { full_name: "Zoë Müller-Ångström" },
  });
  if (error || !data.user) throw new Error(`createUser failed: ${error?.code}`);
  return { email, password, userId: data.user.id };
}

/** A client whose session lives in a storage the test can read and rewrite, as auth-js's own tests do. */
export function clientWithStorage(server: AuthTestServer, options: { fetch?: typeof fetch; storageKey?: string } = {}) {
  const items = new Map<string, string>();
  const storage = {
    getItem: async (key: string) => items.get(key) ?? null,
    setItem: async (key: string, value: string) => void items.set(key, value),
    removeItem: async (key: string) => void items.delete(key),
  };
  const client = createClient(server.url, env().NEXT_PUBLIC_SUPABASE_ANON_KEY, {
    // auth-js caches a fetched JWKS per storage key, across clients.
    auth: { persistSession: true, storage, storageKey: options.storageKey, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    global: options.fetch ? { fetch: options.fetch } : undefined,
  });
  const storageKey = (client.auth as unknown as { storageKey: string }).storageKey;
  const readSession = async () => JSON.parse((await storage.getItem(storageKey)) ?? "null");
  const writeSession = (session: unknown) => storage.setItem(storageKey, JSON.stringify(session));
  return { client, readSession, writeSession };
}

/**
 * Sign-up as this server does it (confirmation required), then the emailed link opened on the
 * same client: what auth-js's own tests get from signUp() on a server with autoconfirm on.
 */
export async function signUpAndConfirm(client: SupabaseClient, email: string, password: string, data?: Record<string, unknown>) {
  const signedUp = await client.auth.signUp({ email, password, options: { data } });
  if (signedUp.error) throw new Error(`signUp failed: ${signedUp.error.code}`);
  const mail = await latestEmailTo(email);
  if (!mail) throw new Error(`no confirmation email to ${email}`);
  const verified = await client.auth.verifyOtp({ token_hash: readAuthEmail(mail).tokenHash, type: "signup" });
  if (verified.error || !verified.data.session) throw new Error(`confirmation failed: ${verified.error?.code}`);
  return { user: verified.data.user!, session: verified.data.session };
}

export type RawAuthResponse = { status: number; body: string; retryAfter: string | null; location: string | null };

/** A request to the served auth API as a client at `ip` (sent as X-Forwarded-For), answered raw. */
export async function rawAuthRequest(
  server: AuthTestServer,
  path: string,
  options: { ip: string; method?: string; body?: unknown },
): Promise<RawAuthResponse> {
  const response = await fetch(`${server.url}/auth/v1${path}`, {
    method: options.method ?? "POST",
    redirect: "manual",
    headers: { apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY, "content-type": "application/json", "x-forwarded-for": options.ip },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return {
    status: response.status,
    body: await response.text(),
    retryAfter: response.headers.get("retry-after"),
    location: response.headers.get("location"),
  };
}
