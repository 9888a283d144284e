import { env, type Env } from "@/lib/env";

/** Where a sandbox account's PhantomBuster client points: this app's own sandbox route (API v2 and the S3 files). */
export function phantomBusterSandboxUrls(e: Env = env()): { baseUrl: string; s3Url: string } {
  const root = `${e.APP_URL.replace(/\/+$/, "")}/api/sandbox/phantombuster`;
  return { baseUrl: `${root}/api/v2`, s3Url: `${root}/s3` };
}
