import "server-only";
import { isIP } from "node:net";
import { env } from "@/lib/env";

/** The bucket for requests whose client cannot be told: they share one limit, never none. */
export const UNKNOWN_CLIENT = "unknown";

/**
 * The client IP that per-IP limits count, from X-Forwarded-For.
 *
 * Next.js exposes no socket address to route handlers or actions; it only fills in
 * X-Forwarded-For with the socket address when the request has none. So the header is all
 * there is, and its left part is whatever the caller wrote. We trust only the entries added by
 * the TRUSTED_PROXY_HOPS proxies in front of the app (default 1: a reverse proxy that appends,
 * or Next.js itself when served directly), that is the entry that many places from the right.
 * A caller who prepends addresses changes nothing. With fewer entries than hops the request did
 * not come through the proxies, and it goes to the shared UNKNOWN_CLIENT bucket.
 * Served directly with no proxy, a caller's own X-Forwarded-For is kept by Next.js and cannot
 * be told from one it wrote: per-IP limits can then be dodged; per-account and global ones hold.
 * IPv6 addresses count by their /64, which one subscriber usually holds whole.
 */
export function clientIpFromHeaders(headers: Headers, hops: number = env().TRUSTED_PROXY_HOPS): string {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - hops];
  return entry ? normaliseIp(entry) : UNKNOWN_CLIENT;
}

export function normaliseIp(raw: string): string {
  const address = stripPort(raw);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const family = isIP(address);
  if (family === 4) return address;
  if (family === 6) return `${ipv6Prefix64(address)}::/64`;
  return UNKNOWN_CLIENT;
}

function stripPort(raw: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(raw);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(raw);
  return v4WithPort?.[1] ?? raw;
}

/** The first four groups of an IPv6 address, written out in full. */
function ipv6Prefix64(address: string): string {
  const [head = "", tail = ""] = address.toLowerCase().split("%")[0]!.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = address.includes("::") && tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = address.includes("::") ? [...headGroups, ...Array(Math.max(0, missing)).fill("0"), ...tailGroups] : headGroups;
  return groups
    .slice(0, 4)
    .map((g) => g.padStart(4, "0"))
    .join(":");
}
