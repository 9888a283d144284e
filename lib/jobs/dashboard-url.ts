import type { Env } from "@/lib/env";

/** Where an operator finds runs when Inngest (Cloud, self-hosted or dev server) runs them. */
export function inngestDashboardUrl(e: Env): string {
  if (e.INNGEST_BASE_URL) return `${e.INNGEST_BASE_URL.replace(/\/$/, "")}/runs`;
  return e.INNGEST_DEV ? "http://localhost:8288/runs" : "https://app.inngest.com";
}
