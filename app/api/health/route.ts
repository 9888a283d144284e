import { sql } from "drizzle-orm";
import { getSession } from "@/app/_server/session";
import { serviceDb } from "@/db";
import { hasPermission } from "@/lib/auth/session";
import { describeServices, env } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * Liveness for the launcher, load balancers and operators. Anonymous callers learn only
 * whether the app is up: which services are embedded tells an attacker what to aim at, so
 * those details go to a signed-in admin (one who manages integrations) alone.
 */
export async function GET() {
  let database: "ok" | "unreachable" = "ok";
  try {
    await serviceDb().execute(sql`select 1`);
  } catch {
    database = "unreachable";
  }
  const status = database === "ok" ? "ok" : "degraded";
  const init = { status: database === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } };
  if (database !== "ok" || !hasPermission(await getSession().catch(() => null), "integrations.manage")) {
    return Response.json({ status }, init);
  }
  return Response.json({ status, database, services: describeServices(env()) }, init);
}
