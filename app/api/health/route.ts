import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { describeServices, env } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Liveness for operators and the launcher: database reachability and which defaults are embedded. No secrets. */
export async function GET() {
  let database: "ok" | "unreachable" = "ok";
  try {
    await serviceDb().execute(sql`select 1`);
  } catch {
    database = "unreachable";
  }
  return Response.json(
    { status: database === "ok" ? "ok" : "degraded", database, services: describeServices(env()) },
    { status: database === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
