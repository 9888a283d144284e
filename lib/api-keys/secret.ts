import { createHash, randomBytes } from "node:crypto";

/**
 * A key's secret: "lip_" and 32 random bytes in base64url (256 bits: never guessed, so a
 * plain SHA-256 suffices to store it, with no salt or slow hash). The prefix makes a leaked key
 * recognisable to secret scanners and to the person who finds it.
 */
export const API_KEY_PREFIX = "lip_";
const SECRET_SHAPE = /^lip_[A-Za-z0-9_-]{43}$/;

export function generateApiKeySecret(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** What the list shows to tell keys apart: "lip_" and the first 6 characters. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 6);
}

export function looksLikeApiKey(value: string): boolean {
  return SECRET_SHAPE.test(value);
}

/** Whether a whole key appears anywhere in `value` ("Bearer lip_…" pasted into a parameter), not text that merely starts "lip_". */
export function containsApiKey(value: string): boolean {
  return /(?:^|[^A-Za-z0-9_-])lip_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/.test(value);
}
