import "server-only";
import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { errors, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import { z } from "zod";
import { emulatorConfig, type EmulatorConfig } from "./config";
import { badJwt } from "./errors";
import type { AmrEntry, Metadata } from "./tables";

export type AccessTokenSubject = {
  userId: string;
  email: string;
  appMetadata: Metadata;
  userMetadata: Metadata;
};

export type SignedAccessToken = { token: string; issuedAt: number; expiresAt: number; expiresIn: number };

/** Lets tests mint tokens that are already expired, or short-lived, without sleeping. */
export type SignOptions = { now?: Date; ttlSeconds?: number };

const ZAccessClaims = z.object({
  sub: z.uuid(),
  session_id: z.uuid(),
  role: z.literal("authenticated"),
  email: z.string().optional(),
});
export type AccessClaims = z.infer<typeof ZAccessClaims> & Record<string, unknown>;

const importedKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();

function importKey(jwk: JWK): Promise<CryptoKey | Uint8Array> {
  const cacheKey = JSON.stringify(jwk);
  let key = importedKeys.get(cacheKey);
  if (!key) {
    key = importJWK(jwk, "ES256");
    importedKeys.set(cacheKey, key);
  }
  return key;
}

/** The verification half of the signing key, in the form GoTrue serves at /.well-known/jwks.json. */
export function publicJwk(config: EmulatorConfig = emulatorConfig()): JWK {
  const { kty, crv, x, y, kid } = config.signingJwk;
  return { kty, crv, x, y, kid, alg: "ES256", use: "sig", key_ops: ["verify"] };
}

export async function signAccessToken(
  subject: AccessTokenSubject,
  session: { id: string; aal: string; amr: AmrEntry[] },
  options: SignOptions = {},
): Promise<SignedAccessToken> {
  const config = emulatorConfig();
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresIn = options.ttlSeconds ?? config.accessTokenTtlSeconds;
  const expiresAt = issuedAt + expiresIn;
  const token = await new SignJWT({
    email: subject.email,
    phone: "",
    app_metadata: subject.appMetadata,
    user_metadata: subject.userMetadata,
    role: "authenticated",
    aal: session.aal,
    amr: session.amr,
    session_id: session.id,
    is_anonymous: false,
  })
    .setProtectedHeader({ alg: "ES256", kid: config.signingJwk.kid, typ: "JWT" })
    .setIssuer(config.issuer)
    .setSubject(subject.userId)
    .setAudience("authenticated")
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(await importKey(config.signingJwk));
  return { token, issuedAt, expiresAt, expiresIn };
}

/**
 * Accepts only user access tokens this server issued. The anon and service-role keys are
 * signed with the same key but carry another issuer, no audience and no session, so they
 * fail here and can never stand in for a user.
 */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  const config = emulatorConfig();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, await importKey(publicJwk(config)), {
      issuer: config.issuer,
      audience: "authenticated",
      algorithms: ["ES256"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw badJwt("token has invalid claims: token is expired");
    if (error instanceof errors.JWTClaimValidationFailed) throw badJwt(`token has invalid claims: ${error.claim} is invalid`);
    throw badJwt("token is malformed or its signature is invalid");
  }
  const claims = ZAccessClaims.safeParse(payload);
  if (!claims.success) throw badJwt("token has invalid claims: missing sub, session_id or role");
  return { ...payload, ...claims.data };
}

/** Refresh, link and OTP secrets are stored only as hashes. */
export function hashToken(raw: string): string {
  return createHash("sha256").update(raw).digest("hex");
}

export function generateOpaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * A key for the HMACs below, derived from the signing key so that nothing new has to be
 * generated or configured, and separated from signing by HKDF's `info`.
 */
function derivedKey(purpose: string): Buffer {
  const ikm = Buffer.from(emulatorConfig().signingJwk.d, "base64url");
  return Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), `lip-auth-emulator ${purpose} v1`, 32));
}

/**
 * The refresh token that replaces `parent`. Derived, not random, so that within the reuse
 * window the server can hand the same child out again while storing only hashes.
 */
export function deriveChildRefreshToken(parent: string): string {
  return createHmac("sha256", derivedKey("refresh-token-rotation")).update(parent).digest("base64url");
}

/**
 * The link token and the 6-digit code of the one-time token `tokenId` (a random uuid). Derived,
 * not random, so that the email carrying them can be sent after the answer, and again after a
 * failure or a crash, while the database keeps only their hashes and the token's id: whoever
 * could derive them holds the signing key, and could sign in as anybody already.
 */
export function deriveEmailSecrets(tokenId: string): { linkToken: string; otp: string } {
  const linkToken = createHmac("sha256", derivedKey("email-link")).update(tokenId).digest("base64url");
  // 48 bits taken modulo 10^6: each code is equally likely to within one part in 10^8.
  const otpBits = createHmac("sha256", derivedKey("email-code")).update(tokenId).digest().readUIntBE(0, 6);
  return { linkToken, otp: (otpBits % 1_000_000).toString().padStart(6, "0") };
}

/** Six digits are guessable offline with a plain hash; a keyed one is not. */
export function hashOtp(userId: string, otp: string): string {
  return createHmac("sha256", derivedKey("email-otp")).update(`${userId}:${otp}`).digest("hex");
}
