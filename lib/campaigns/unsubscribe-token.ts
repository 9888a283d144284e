import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * The per-recipient token of a campaign email's unsubscribe link and one-click header
 * (RFC 8058; DESIGN.md §7.5). It names the workspace, lead and campaign and is signed with an
 * HMAC under a key derived from ENCRYPTION_KEY (HKDF, its own `info`), so nothing new has to be
 * configured, a token cannot be forged or pointed at another lead, and no table has to hold
 * it. It never expires: an unsubscribe link must keep working. The routes that honour it
 * (/unsubscribe/<token>, GET shows a page, POST is the one-click) are the sending issue's.
 */
/**
 * The link a preview, a review sample or a test email carries instead of the lead's own token:
 * not a valid token, so the unsubscribe route answers it with a page that changes nothing.
 * Why: a real token on a screen or in a test would let whoever reads it unsubscribe that lead,
 * or (within the Undo window) lift their unsubscribe, which only an admin may do from the app.
 */
export const TEST_UNSUBSCRIBE_TOKEN = "test";

export type UnsubscribeSubject = { workspaceId: string; leadId: string; campaignId: string };

const VERSION = "u1";
const SIGNATURE_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The last key derived, by its ENCRYPTION_KEY: every email of a campaign signs a token (HKDF costs ~70 µs a time). */
let derived: { encryptionKey: string; key: Buffer } | undefined;

export function unsubscribeKey(encryptionKey: string = env().ENCRYPTION_KEY): Buffer {
  if (derived?.encryptionKey !== encryptionKey) {
    const ikm = Buffer.from(encryptionKey, "base64");
    derived = { encryptionKey, key: Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), "lip unsubscribe-token v1", 32)) };
  }
  return derived.key;
}

function uuidBytes(id: string): Buffer {
  if (!UUID.test(id)) throw new Error("not a uuid");
  return Buffer.from(id.replace(/-/g, ""), "hex");
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sign(payload: Buffer, key: Buffer): Buffer {
  return createHmac("sha256", key).update(VERSION).update(payload).digest().subarray(0, SIGNATURE_BYTES);
}

export function signUnsubscribeToken(subject: UnsubscribeSubject, key: Buffer = unsubscribeKey()): string {
  const payload = Buffer.concat([uuidBytes(subject.workspaceId), uuidBytes(subject.leadId), uuidBytes(subject.campaignId)]);
  return `${VERSION}.${payload.toString("base64url")}.${sign(payload, key).toString("base64url")}`;
}

/** The subject of a genuine token; null for anything forged, altered, truncated or oversized. */
export function verifyUnsubscribeToken(token: string, key: Buffer = unsubscribeKey()): UnsubscribeSubject | null {
  if (token.length > 200) return null;
  const [version, payloadPart, signaturePart, ...rest] = token.split(".");
  if (version !== VERSION || !payloadPart || !signaturePart || rest.length > 0) return null;
  const payload = Buffer.from(payloadPart, "base64url");
  const signature = Buffer.from(signaturePart, "base64url");
  if (payload.length !== 48 || signature.length !== SIGNATURE_BYTES) return null;
  // base64url decoding ignores stray characters: only the canonical spelling is accepted.
  if (payload.toString("base64url") !== payloadPart || signature.toString("base64url") !== signaturePart) return null;
  if (!timingSafeEqual(signature, sign(payload, key))) return null;
  return {
    workspaceId: uuidOf(payload.subarray(0, 16)),
    leadId: uuidOf(payload.subarray(16, 32)),
    campaignId: uuidOf(payload.subarray(32)),
  };
}

/** The link in the footer and the List-Unsubscribe header. */
export function unsubscribeUrl(token: string, appUrl: string = env().APP_URL): string {
  return new URL(`/unsubscribe/${token}`, appUrl).toString();
}
