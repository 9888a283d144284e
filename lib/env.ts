import { z } from "zod";
import { PREPARE_SETTINGS } from "@/db/prepare-mode";

/**
 * Every environment variable the app reads, parsed once. Unset optional services fall back to
 * the embedded defaults of DESIGN.md §4; `describeServices` says which is which.
 */
const optionalUrl = z.url().optional();
const optionalText = z.string().trim().min(1).optional();
/** An opt-in switch: only "true"/"1"/"yes"/"on" turn it on; unset is off. */
const flag = z.stringbool().default(false);
/** A vendor API's base: http(s) only, kept without a trailing slash so paths join with one. */
const vendorBaseUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL, like " + fallback })
    .default(fallback)
    .transform((v) => v.replace(/\/+$/, ""));

/** A rate limit's allowance per window: a whole number of requests, at least 1. */
const rateLimit = (fallback: number) =>
  z.coerce.number({ message: "must be a whole number of requests" }).int().min(1).max(10_000_000).default(fallback);

export const ZEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    APP_URL: z.url().default("http://localhost:3000"),

    DATABASE_URL: z.url({ message: "must be a postgres:// connection URL" }),
    /**
     * Server-side prepared statements (db/prepare-mode.ts): `auto` uses them unless DATABASE_URL
     * looks like a transaction-mode pooler (port 6543 or `?pgbouncer=true`); `off` for any other
     * pooler in transaction mode; `on` to insist.
     */
    DATABASE_PREPARE: z.enum(PREPARE_SETTINGS, { message: "must be auto, on or off" }).default("auto"),
    /**
     * Live updates LISTEN on one connection per app process (lib/live). LISTEN needs a session
     * that stays: a direct connection or a session pooler, never a transaction pooler (Supabase's
     * port 6543). Unset: DATABASE_URL.
     */
    DATABASE_LISTEN_URL: z.url({ message: "must be a postgres:// connection URL" }).optional(),
    /**
     * Demo workspaces and logins (published password): unset, `npm run dev` seeds its embedded
     * database once and `npm start` never does (lib/seed/wants-demo-data.ts).
     */
    SEED_DEMO_DATA: z.stringbool().optional(),

    NEXT_PUBLIC_SUPABASE_URL: optionalUrl,
    NEXT_PUBLIC_SUPABASE_ANON_KEY: z.string().min(20, "must be the project's anon (publishable) key"),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, "must be the project's service-role key"),
    /** Self-service sign-up (GoTrue's `enable_signup`): off unless an operator turns it on. */
    AUTH_ENABLE_SIGNUP: flag,
    /**
     * How many reverse proxies in front of the app append to X-Forwarded-For. The client IP that
     * rate limits count is the entry this many places from the right (lib/rate-limit/client-ip.ts).
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
    /** GoTrue's RATE_LIMIT_EMAIL_SENT: sign-in and reset emails per hour, all callers together. */
    RATE_LIMIT_EMAIL_SENT: z.coerce.number().int().min(1).default(200),
    /** Sign-in and reset emails one client IP may ask for per hour. */
    RATE_LIMIT_EMAIL_SENT_PER_IP: z.coerce.number().int().min(1).default(50),
    /**
     * Everything else's limits (lib/rate-limit/policies.ts), counted in PostgreSQL so that every
     * app instance shares them. High enough that a person working fast never meets them.
     */
    /** Server actions (and the progress routes pages poll) per person; per client IP before sign-in. */
    RATE_LIMIT_ACTIONS_PER_MINUTE: rateLimit(600),
    /** CSV uploads per person, and per workspace (all its members together). */
    RATE_LIMIT_UPLOADS_PER_HOUR: rateLimit(20),
    RATE_LIMIT_WORKSPACE_UPLOADS_PER_HOUR: rateLimit(100),
    /** CSV exports (leads, suppression list, an import's problem rows) per workspace. */
    RATE_LIMIT_EXPORTS_PER_HOUR: rateLimit(120),
    /** Calls to a vendor a person waits for (Apollo searches and estimates, key checks) per workspace. */
    RATE_LIMIT_VENDOR_CALLS_PER_MINUTE: rateLimit(60),
    /** Vendor runs started (Apollo imports and enrichment, Instantly syncs, PhantomBuster imports, AI enrichment) per workspace. */
    RATE_LIMIT_VENDOR_RUNS_PER_HOUR: rateLimit(60),
    /** Campaigns launched, paused, resumed or stopped per workspace (each starts sending or Instantly work). */
    RATE_LIMIT_CAMPAIGN_CHANGES_PER_HOUR: rateLimit(120),
    /** Runs replayed or retried from the Jobs page per workspace (each runs its steps again, vendor calls included). */
    RATE_LIMIT_JOB_REPLAYS_PER_HOUR: rateLimit(120),
    /** Invitation emails per person (whoever invites, in any workspace: anyone may start one). */
    RATE_LIMIT_INVITATIONS_PER_HOUR: rateLimit(50),
    /** Unsubscribe link requests per client IP (one-click POSTs come from mailbox providers' servers). */
    RATE_LIMIT_UNSUBSCRIBE_PER_MINUTE: rateLimit(300),
    /** Webhook deliveries per client IP, for Resend and for Instantly each. */
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: rateLimit(3000),
    /** Live-update event streams opened per person (reconnects included). */
    RATE_LIMIT_EVENT_STREAMS_PER_MINUTE: rateLimit(60),
    /** Private EC JWK the embedded auth server signs with; generated by the launcher. */
    LOCAL_AUTH_SIGNING_JWK: optionalText,

    /** 32 random bytes, base64: encrypts integration secrets at rest. */
    ENCRYPTION_KEY: z.string().refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 random bytes, base64-encoded"),

    RESEND_API_KEY: optionalText,
    RESEND_BASE_URL: optionalUrl,
    /**
     * Emails per second campaigns start sending through Resend (its API limit is per team: 2–5/s
     * by default, more on paid plans); read by the sequence function's throttle. Default 5.
     */
    RESEND_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).optional(),
    /** Key the embedded Resend-compatible outbox accepts; generated by the launcher. */
    LOCAL_RESEND_API_KEY: optionalText,
    /**
     * The signing secret (`whsec_…`) of Resend's webhook to /api/webhooks/resend; without it
     * (and with RESEND_API_KEY set) the route refuses every delivery.
     */
    RESEND_WEBHOOK_SECRET: optionalText,
    /** The secret the embedded outbox signs its webhook deliveries with; generated by the launcher. */
    LOCAL_RESEND_WEBHOOK_SECRET: optionalText,
    /**
     * Production only: keep product mail in the embedded outbox for a demo deployment. Mail
     * that carries a credential is never delivered there (lib/email/delivery.ts).
     */
    LOCAL_OUTBOX_ENABLED: flag,
    /**
     * Requests per second the embedded outbox accepts before answering 429 rate_limit_exceeded
     * with Resend's ratelimit headers, as Resend does (2–5/s per team); unset, no limit.
     */
    LOCAL_OUTBOX_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).optional(),
    EMAIL_FROM: z.string().default("Lead Intelligence Panel <no-reply@lip.localhost>"),

    INNGEST_EVENT_KEY: optionalText,
    INNGEST_SIGNING_KEY: optionalText,
    INNGEST_DEV: optionalText,
    INNGEST_BASE_URL: optionalUrl,
    /** INNGEST_DEV skips request signing; production refuses it unless this says otherwise. */
    INNGEST_ALLOW_DEV_IN_PRODUCTION: flag,

    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: optionalUrl,
    OPENAI_MODEL: z.string().default("gpt-4o-mini"),

    /** Apollo's REST API; tests and self-hosters point it elsewhere (a fake, a proxy). */
    APOLLO_API_URL: vendorBaseUrl("https://api.apollo.io/api/v1"),
    /** Instantly's API v2; the same, for tests and self-hosters. */
    INSTANTLY_API_URL: vendorBaseUrl("https://api.instantly.ai/api/v2"),
    /** PhantomBuster's API v2, and the S3 bucket its agents write their result files to. */
    PHANTOMBUSTER_API_URL: vendorBaseUrl("https://api.phantombuster.com/api/v2"),
    PHANTOMBUSTER_S3_URL: vendorBaseUrl("https://phantombuster.s3.amazonaws.com"),
    /**
     * Production only: offer the vendors' sandbox (sample data served by the app in the vendors'
     * HTTP shapes) on Settings → Integrations, for a demo deployment. Always on in development.
     */
    INTEGRATIONS_SANDBOX_ENABLED: flag,

    /**
     * Outgoing webhooks: the waits before each retry of a failed delivery, as durations (`5s`,
     * `5m`, `2h`), Standard Webhooks' recommended schedule by default; tests shorten it.
     */
    WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .regex(/^\s*\d+(ms|s|m|h)(\s*,\s*\d+(ms|s|m|h)){0,19}\s*$/, "must be a comma-separated list of durations like 5s,5m,30m,2h")
      .default("5s,5m,30m,2h,5h,10h"),
    /**
     * End-to-end tests only: outgoing webhooks may reach loopback addresses (the suite's own
     * receiver). Refused in production.
     */
    WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS: flag,
  })
  .superRefine((env, ctx) => {
    if (!env.NEXT_PUBLIC_SUPABASE_URL && !env.LOCAL_AUTH_SIGNING_JWK) {
      ctx.addIssue({
        code: "custom",
        path: ["LOCAL_AUTH_SIGNING_JWK"],
        message: "is required when NEXT_PUBLIC_SUPABASE_URL is unset (start the app with `npm run dev` or `npm start`, which generate it)",
      });
    }
    if (env.NODE_ENV === "production" && inngestDevMode(env) && !env.INNGEST_ALLOW_DEV_IN_PRODUCTION) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_DEV"],
        message:
          "is for a developer's machine: in that mode Inngest skips request signing, so anyone could call /api/inngest. " +
          "In production set INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY (and INNGEST_BASE_URL for a self-hosted Inngest), " +
          "or unset INNGEST_DEV to use the embedded executor. Only if nobody else can reach this server, set INNGEST_ALLOW_DEV_IN_PRODUCTION=true.",
      });
    }
    if (env.NODE_ENV === "production" && env.WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS"],
        message: "is for the end-to-end tests: in production outgoing webhooks reach public addresses only. Unset it.",
      });
    }
    if (!env.RESEND_API_KEY && !env.LOCAL_RESEND_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["LOCAL_RESEND_API_KEY"],
        message: "is required when RESEND_API_KEY is unset (the launcher generates it)",
      });
    }
  });

export type Env = z.infer<typeof ZEnv>;

/**
 * Whether INNGEST_DEV puts the Inngest SDK in dev mode, read as the SDK reads it: "0" and
 * "false" mean cloud mode; "1", "true" or a dev server's URL (any other value) mean dev mode.
 */
export function inngestDevMode(source: { INNGEST_DEV?: string }): boolean {
  const value = source.INNGEST_DEV?.trim().toLowerCase();
  return !!value && value !== "0" && value !== "false" && value !== "undefined";
}

/**
 * Production serves /api/inngest in dev mode (unsigned requests accepted) only with the
 * explicit override. Read straight from process.env by the Inngest client, which is built
 * when its module loads, before anything calls env().
 */
export function inngestDevAllowed(source: Record<string, string | undefined> = process.env): boolean {
  if (source.NODE_ENV !== "production") return true;
  return flag.safeParse(source.INNGEST_ALLOW_DEV_IN_PRODUCTION || undefined).data === true;
}

/**
 * The secret webhook deliveries to /api/webhooks/resend must be signed with: Resend's when it
 * is configured (never the outbox's then, so nobody holding the local secret can forge one),
 * else the embedded outbox's. Undefined: the route accepts nothing.
 */
export function resendWebhookSecret(e: Env = env()): string | undefined {
  if (e.RESEND_API_KEY) return e.RESEND_WEBHOOK_SECRET;
  return e.LOCAL_RESEND_WEBHOOK_SECRET;
}

/** Whether admins may connect a vendor's sandbox, and the sandbox routes answer (DESIGN.md §4). */
export function integrationsSandboxEnabled(e: Env = env()): boolean {
  return e.NODE_ENV !== "production" || e.INTEGRATIONS_SANDBOX_ENABLED;
}

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const blanksRemoved = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = ZEnv.safeParse(blanksRemoved);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"} ${issue.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  return result.data;
}

let cached: Env | undefined;

/** Parsed lazily so that `next build` can import modules without a running configuration. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Where mail goes, and who may read it (DESIGN.md §11):
 *  - `resend`: a real provider delivers every message to its recipient;
 *  - `dev-mail-catcher`: `npm run dev` with no provider; the embedded outbox catches every
 *    message, and a development-only mail catcher shows them all, as MailHog would;
 *  - `demo-outbox`: production with LOCAL_OUTBOX_ENABLED; product mail is kept in the outbox,
 *    shown to its own workspace only, and mail carrying a credential is never sent;
 *  - `none`: production with no provider; nothing is sent, and flows that need mail say so.
 */
export type EmailDelivery = "resend" | "dev-mail-catcher" | "demo-outbox" | "none";

export function emailDeliveryOf(e: Env): EmailDelivery {
  if (e.RESEND_API_KEY) return "resend";
  if (e.NODE_ENV !== "production") return "dev-mail-catcher";
  return e.LOCAL_OUTBOX_ENABLED ? "demo-outbox" : "none";
}

export type ServiceModes = {
  database: "external" | "embedded";
  auth: "supabase" | "embedded";
  email: EmailDelivery;
  jobs: "inngest" | "local-executor";
  ai: "openai" | "none";
  /** Vendors (Apollo, …) use each workspace's own keys; the sandbox is offered beside them or not. */
  vendors: "sandbox" | "keys-only";
};

export function describeServices(e: Env, databaseEmbedded = process.env.LIP_EMBEDDED_DB === "1"): ServiceModes {
  return {
    database: databaseEmbedded ? "embedded" : "external",
    auth: e.NEXT_PUBLIC_SUPABASE_URL ? "supabase" : "embedded",
    email: emailDeliveryOf(e),
    jobs: e.INNGEST_EVENT_KEY || inngestDevMode(e) ? "inngest" : "local-executor",
    ai: e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? "openai" : "none",
    vendors: integrationsSandboxEnabled(e) ? "sandbox" : "keys-only",
  };
}

/** The Supabase Auth base the app talks to: the real project, or this app's own /auth/v1. */
export function supabaseUrl(e: Env = env()): string {
  return e.NEXT_PUBLIC_SUPABASE_URL ?? e.APP_URL;
}

export function isEmbeddedAuth(e: Env = env()): boolean {
  return !e.NEXT_PUBLIC_SUPABASE_URL;
}
