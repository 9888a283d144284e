import "server-only";
import { validationFailed } from "./errors";

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/**
 * The admin API's `ban_duration`: "none" lifts a ban, otherwise a Go duration such as "24h"
 * or "1h30m". Returns when the ban ends, or null for "none".
 */
export function parseBanDuration(value: string, now = new Date()): Date | null {
  if (value === "none") return null;
  const parts = [...value.matchAll(PART)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) {
    throw validationFailed('Invalid field `ban_duration`: must be "none" or a duration such as "24h"');
  }
  const ms = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MS[unit!]!, 0);
  return new Date(now.getTime() + ms);
}
