import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";

/** Secrets of the embedded defaults, generated once per data directory and kept there. */
export type LocalSecrets = {
  authSigningJwk: JWK;
  encryptionKey: string;
  localResendApiKey: string;
};

export async function loadOrCreateLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as LocalSecrets;
  const secrets = await generateLocalSecrets();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function generateLocalSecrets(): Promise<LocalSecrets> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  return {
    authSigningJwk: { ...jwk, kid: randomBytes(8).toString("hex"), alg: "ES256", use: "sig" },
    encryptionKey: randomBytes(32).toString("base64"),
    localResendApiKey: `re_local_${randomBytes(18).toString("base64url")}`,
  };
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
    out.NEXT_PUBLIC_SUPABASE_ANON_KEY = await signApiKey(secrets.authSigningJwk, "anon");
    out.SUPABASE_SERVICE_ROLE_KEY = await signApiKey(secrets.authSigningJwk, "service_role");
  }
  if (!current.ENCRYPTION_KEY) out.ENCRYPTION_KEY = secrets.encryptionKey;
  if (!current.RESEND_API_KEY) out.LOCAL_RESEND_API_KEY = secrets.localResendApiKey;
  return out;
}
