import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";

/**
 * Secrets of the embedded defaults, generated once per data directory and kept there.
 *
 * The anon and service-role keys are kept too, not signed again on each start: ES256
 * signatures are randomized, so a fresh signature is a new NEXT_PUBLIC_SUPABASE_ANON_KEY on
 * every `npm run dev`, and Next.js compiles every NEXT_PUBLIC_ variable into its bundles
 * (next/dist/lib/static-env.js, 16.4.5): each restart then compiled with other defines than
 * the persisted Turbopack cache and the pages left open from the last run were built with.
 */
export type LocalSecrets = {
  authSigningJwk: JWK;
  encryptionKey: string;
  localResendApiKey: string;
  /** Signs the outbox's Svix-style webhook deliveries to /api/webhooks/resend (`whsec_…`). */
  localResendWebhookSecret: string;
  anonKey: string;
  serviceRoleKey: string;
};

export async function loadOrCreateLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const stored = JSON.parse(await readFile(file, "utf8")) as Partial<LocalSecrets> &
      Omit<LocalSecrets, "anonKey" | "serviceRoleKey" | "localResendWebhookSecret">;
    if (stored.anonKey && stored.serviceRoleKey && stored.localResendWebhookSecret) return stored as LocalSecrets;
    // A data directory from before these were kept: make the missing ones once and keep them.
    const secrets: LocalSecrets = {
      ...stored,
      ...(stored.anonKey && stored.serviceRoleKey
        ? { anonKey: stored.anonKey, serviceRoleKey: stored.serviceRoleKey }
        : await signApiKeys(stored.authSigningJwk)),
      localResendWebhookSecret: stored.localResendWebhookSecret ?? newWebhookSecret(),
    };
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
  const secrets = await generateLocalSecrets();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function generateLocalSecrets(): Promise<LocalSecrets> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  const authSigningJwk: JWK = { ...jwk, kid: randomBytes(8).toString("hex"), alg: "ES256", use: "sig" };
  return {
    authSigningJwk,
    encryptionKey: randomBytes(32).toString("base64"),
    localResendApiKey: `re_local_${randomBytes(18).toString("base64url")}`,
    localResendWebhookSecret: newWebhookSecret(),
    ...(await signApiKeys(authSigningJwk)),
  };
}

/** Svix's format: `whsec_` and 24 random bytes in base64, the HMAC key once decoded. */
function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

async function signApiKeys(jwk: JWK): Promise<Pick<LocalSecrets, "anonKey" | "serviceRoleKey">> {
  return { anonKey: await signApiKey(jwk, "anon"), serviceRoleKey: await signApiKey(jwk, "service_role") };
}

/** Long-lived API keys in the shape of Supabase's legacy anon and service_role JWTs. */
export async function signApiKey(jwk: JWK, role: "anon" | "service_role"): Promise<string> {
  const key = await importJWK(jwk, "ES256");
  return new SignJWT({ role, iss: "supabase" })
    .setProtectedHeader({ alg: "ES256", kid: jwk.kid, typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10y")
    .sign(key);
}

/** The environment the app needs for its embedded defaults, leaving anything already set alone. */
export async function embeddedEnvironment(secrets: LocalSecrets, current: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!current.NEXT_PUBLIC_SUPABASE_URL) {
    out.LOCAL_AUTH_SIGNING_JWK = JSON.stringify(secrets.authSigningJwk);
    out.NEXT_PUBLIC_SUPABASE_ANON_KEY = secrets.anonKey;
    out.SUPABASE_SERVICE_ROLE_KEY = secrets.serviceRoleKey;
  }
  if (!current.ENCRYPTION_KEY) out.ENCRYPTION_KEY = secrets.encryptionKey;
  if (!current.RESEND_API_KEY) {
    out.LOCAL_RESEND_API_KEY = secrets.localResendApiKey;
    out.LOCAL_RESEND_WEBHOOK_SECRET = secrets.localResendWebhookSecret;
  }
  return out;
}
