import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Integration API keys at rest: AES-256-GCM with a random 96-bit IV under a key derived from
 * ENCRYPTION_KEY (HKDF, its own `info`, so this key is used for nothing else). The workspace and
 * vendor are the additional authenticated data: a ciphertext copied onto another workspace's
 * row does not decrypt. `keyId` names the derived key, so a row written before ENCRYPTION_KEY
 * changed is recognised as such and the admin is asked to enter the key again, rather than the
 * app failing on a tag mismatch.
 */
export type SealedSecret = { ciphertext: string; keyId: string };
export type SecretContext = { workspaceId: string; vendor: string };
export type SecretKey = { id: string; key: Buffer };

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function integrationSecretKey(encryptionKey: string): SecretKey {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(encryptionKey, "base64"), Buffer.alloc(0), "lip integration-secret v1", 32));
  // A fingerprint of the derived key, not of ENCRYPTION_KEY: it reveals nothing usable.
  const id = createHash("sha256").update(key).digest("hex").slice(0, 12);
  return { id, key };
}

const aadOf = (context: SecretContext) => Buffer.from(`${context.workspaceId}:${context.vendor}`, "utf8");

export function sealSecret(plaintext: string, context: SecretContext, key: SecretKey): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64"), keyId: key.id };
}

export class SecretUnreadableError extends Error {}

/** `keys`: the current key first, then any earlier ones still accepted for reading. */
export function openSecret(sealed: SealedSecret, context: SecretContext, keys: readonly SecretKey[]): string {
  const key = keys.find((k) => k.id === sealed.keyId);
  if (!key) {
    throw new SecretUnreadableError(
      "The saved API key was encrypted with another ENCRYPTION_KEY than this server's. An admin must enter the key again.",
    );
  }
  const bytes = Buffer.from(sealed.ciphertext, "base64");
  if (bytes.length < IV_BYTES + TAG_BYTES)
    throw new SecretUnreadableError("The saved API key is damaged. An admin must enter the key again.");
  const decipher = createDecipheriv("aes-256-gcm", key.key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aadOf(context));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadableError(
      "The saved API key does not belong to this workspace or is damaged. An admin must enter the key again.",
    );
  }
}

/** What the browser may see of a key: its last four characters. */
export function lastFourOf(apiKey: string): string {
  return apiKey.slice(-4);
}
