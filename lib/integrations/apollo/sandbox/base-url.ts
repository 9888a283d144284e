import { env, type Env } from "@/lib/env";

/** Where a sandbox account's Apollo client points: this app's own sandbox route. */
export function apolloSandboxBaseUrl(e: Env = env()): string {
  return `${e.APP_URL.replace(/\/+$/, "")}/api/sandbox/apollo/api/v1`;
}
