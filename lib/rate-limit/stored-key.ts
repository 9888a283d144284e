import { createHash } from "node:crypto";

/**
 * The `key` of a counter's row in private.rate_limits: the deployment's scope (from APP_URL, so
 * instances of one deployment share it and two deployments on one database do not), the
 * limit's name, and a digest of what is counted (the table says how often, never who).
 * rate-limiter-flexible joins its key prefix and the key with a colon.
 */
export function storedRateLimitKey(appUrl: string, limitName: string, subject: string): string {
  return `${keyPrefixOf(appUrl, limitName)}:${subjectKey(subject)}`;
}

export function keyPrefixOf(appUrl: string, limitName: string): string {
  return `${scopeOf(appUrl)}:${limitName}`;
}

export function subjectKey(subject: string): string {
  return createHash("sha256").update(subject).digest("base64url").slice(0, 32);
}

function scopeOf(appUrl: string): string {
  return createHash("sha256").update(new URL(appUrl).origin).digest("base64url").slice(0, 8);
}
