import { env, type Env } from "@/lib/env";

/** Where a sandbox account's Instantly client points: this app's own sandbox route. */
export function instantlySandboxBaseUrl(e: Env = env()): string {
  return `${e.APP_URL.replace(/\/+$/, "")}/api/sandbox/instantly/api/v2`;
}
