import "server-only";
import type { JWK } from "jose";
import { env, type Env } from "@/lib/env";

/** What the embedded auth server needs from the environment, derived once per Env object. */
export type EmulatorConfig = {
  appUrl: string;
  /** `iss` of every access token: where Supabase's own GoTrue would live for this app. */
  issuer: string;
  anonKey: string;
  serviceRoleKey: string;
  signingJwk: JWK & { kid: string; d: string };
  accessTokenTtlSeconds: number;
};

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;
const MAX_ACCESS_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

const configs = new WeakMap<Env, EmulatorConfig>();

export function emulatorConfig(e: Env = env()): EmulatorConfig {
  let config = configs.get(e);
  if (!config) {
    const appUrl = e.APP_URL.replace(/\/+$/, "");
    config = {
      appUrl,
      issuer: `${appUrl}/auth/v1`,
      anonKey: e.NEXT_PUBLIC_SUPABASE_ANON_KEY,
      serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY,
      signingJwk: parseSigningJwk(e.LOCAL_AUTH_SIGNING_JWK),
      accessTokenTtlSeconds: parseTtlSeconds(process.env.LOCAL_AUTH_JWT_EXPIRY_SECONDS),
    };
    configs.set(e, config);
  }
  return config;
}

function parseSigningJwk(raw: string | undefined): EmulatorConfig["signingJwk"] {
  let jwk: unknown;
  try {
    jwk = JSON.parse(raw ?? "");
  } catch {
    throw new Error("LOCAL_AUTH_SIGNING_JWK is not valid JSON");
  }
  const candidate = jwk as Partial<JWK>;
  if (candidate?.kty !== "EC" || candidate.crv !== "P-256" || !candidate.d || !candidate.kid) {
    throw new Error("LOCAL_AUTH_SIGNING_JWK must be a private P-256 EC JWK with a kid");
  }
  return candidate as EmulatorConfig["signingJwk"];
}

/** Unset or unusable values fall back to GoTrue's default of one hour, with a warning. */
export function parseTtlSeconds(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  const seconds = Number(raw);
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_ACCESS_TOKEN_TTL_SECONDS) return seconds;
  console.warn(
    `[auth-emulator] LOCAL_AUTH_JWT_EXPIRY_SECONDS must be a whole number of seconds from 1 to ${MAX_ACCESS_TOKEN_TTL_SECONDS}; using ${DEFAULT_ACCESS_TOKEN_TTL_SECONDS}`,
  );
  return DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
}
