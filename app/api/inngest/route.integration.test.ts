import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { serviceDb } from "@/db";
import { jobEvents, jobRuns } from "@/db/schema";

const YEAR = 365 * 86_400_000;
const saved = { ...process.env };

/** The route as a fresh server process with this environment would load it. */
async function routeWith(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  vi.resetModules();
  return import("./route");
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  vi.resetModules();
});

/**
 * What an anonymous caller sent in the review: a call of prune-job-runs, unsigned, whose
 * event says it is ten years from now (so "older than 30 days" meant every finished run).
 */
function unsignedPruneCall(): NextRequest {
  const body = {
    event: { name: "inngest/scheduled.timer", data: { cron: "0 3 * * *" }, ts: Date.now() + 10 * YEAR },
    events: [{ name: "inngest/scheduled.timer", data: { cron: "0 3 * * *" }, ts: Date.now() + 10 * YEAR }],
    steps: {},
    version: 2,
    ctx: { run_id: `01J${randomUUID().replaceAll("-", "").slice(0, 23).toUpperCase()}`, attempt: 0, stack: { stack: [], current: 0 } },
  };
  return new NextRequest("http://localhost:3000/api/inngest?fnId=lead-intelligence-panel-prune-job-runs&stepId=step", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** A run that finished a minute ago, under a name no function listens to. */
async function insertFinishedRun(): Promise<string> {
  const db = serviceDb();
  const minuteAgo = new Date(Date.now() - 60_000);
  const [event] = await db
    .insert(jobEvents)
    .values({ name: `test/route-${randomUUID()}`, data: {}, ts: minuteAgo, dispatchedAt: minuteAgo })
    .returning({ id: jobEvents.id });
  const [run] = await db
    .insert(jobRuns)
    .values({ functionId: "route-test", eventId: event!.id, status: "completed", endedAt: minuteAgo })
    .returning({ id: jobRuns.id });
  return run!.id;
}

async function runExists(id: string): Promise<boolean> {
  return (await serviceDb().select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.id, id))).length === 1;
}

describe("/api/inngest", () => {
  it("answers 404 while the local executor runs the functions", async () => {
    const { GET, POST } = await routeWith({});
    for (const call of [GET, POST]) {
      const response = await call(
        new NextRequest("http://localhost:3000/api/inngest", { method: call === GET ? "GET" : "POST" }),
        undefined,
      );
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Inngest is not configured: the local job executor runs these functions." });
    }
  });

  it("in production refuses INNGEST_DEV: an unsigned call runs nothing", async () => {
    const runId = await insertFinishedRun();
    const { POST, GET } = await routeWith({ NODE_ENV: "production", INNGEST_DEV: "1" });
    const response = await POST(unsignedPruneCall(), undefined);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: "Inngest is not available: the server's configuration is invalid." });
    expect((await GET(new NextRequest("http://localhost:3000/api/inngest"), undefined)).status).toBe(503);
    expect(await runExists(runId)).toBe(true);
  });

  it("in production keeps the SDK in signed (cloud) mode whatever INNGEST_DEV says, without the override", async () => {
    Object.assign(process.env, { NODE_ENV: "production", INNGEST_DEV: "http://127.0.0.1:8288" });
    vi.resetModules();
    expect((await import("@/inngest/client")).inngest.mode).toBe("cloud");
    process.env.INNGEST_ALLOW_DEV_IN_PRODUCTION = "true";
    vi.resetModules();
    expect((await import("@/inngest/client")).inngest.mode).toBe("dev");
  });

  it("with signing keys refuses an unsigned call", async () => {
    const runId = await insertFinishedRun();
    const { POST } = await routeWith({
      NODE_ENV: "production",
      INNGEST_EVENT_KEY: "test-event-key",
      INNGEST_SIGNING_KEY: "signkey-prod-0123456789abcdef0123456789abcdef",
    });
    const response = await POST(unsignedPruneCall(), undefined);
    expect(response.status).toBe(401);
    expect(await runExists(runId)).toBe(true);
  });
});
