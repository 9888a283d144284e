import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * The API key of a workspace's sandbox account: minted by the app, checked by the sandbox
 * routes, so the routes (public, as a vendor's API is) answer only the app's own clients.
 * `sandbox_<vendor>_<workspace id>_<HMAC>`, signed under a key derived from ENCRYPTION_KEY.
 */
const PATTERN = /^sandbox_([a-z]+)_([0-9a-f]{32})_([A-Za-z0-9_-]{22})$/;

function sandboxKeyKey(encryptionKey: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(encryptionKey, "base64"), Buffer.alloc(0), "lip integration-sandbox v1", 32));
}

const signature = (vendor: string, workspaceHex: string, encryptionKey: string) =>
  createHmac("sha256", sandboxKeyKey(encryptionKey)).update(`${vendor}:${workspaceHex}`).digest().subarray(0, 16).toString("base64url");

export function mintSandboxKey(vendor: string, workspaceId: string, encryptionKey: string): string {
  const workspaceHex = workspaceId.replace(/-/g, "").toLowerCase();
  return `sandbox_${vendor}_${workspaceHex}_${signature(vendor, workspaceHex, encryptionKey)}`;
}

/** Whether `key` is a sandbox key this server minted for `vendor`. */
export function isSandboxKey(key: string | null, vendor: string, encryptionKey: string): boolean {
  const match = key ? PATTERN.exec(key) : null;
  if (!match || match[1] !== vendor) return false;
  const expected = Buffer.from(signature(vendor, match[2]!, encryptionKey));
  const presented = Buffer.from(match[3]!);
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

/** The workspace (its id without dashes) a sandbox key this server minted for `vendor` belongs to; null for any other key. */
export function sandboxKeyWorkspace(key: string | null, vendor: string, encryptionKey: string): string | null {
  return key && isSandboxKey(key, vendor, encryptionKey) ? PATTERN.exec(key)![2]! : null;
}
