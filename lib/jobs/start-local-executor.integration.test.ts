import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { workspaces } from "@/db/schema";
import { createFreshDatabase } from "@/tests/fixtures/fresh-database";
import { sendEvent } from "./send-event";
import { startLocalExecutor } from "./start-local-executor";
import { runReaching, silentLogger, unique } from "./testing/harness";

const databaseUrl = () => process.env.DATABASE_URL ?? "";

/**
 * A database of its own: with every function of the product, these executors would run any job
 * queued in the shared database, crons included — another file's launch, enrolling a campaign
 * while that file's teardown deleted its workspace, deadlocked the two (CI of 28b68cf).
 */
let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
beforeAll(async () => {
  fresh = await createFreshDatabase(databaseUrl());
  process.env.DATABASE_URL = fresh.url;
});
afterAll(() => fresh.drop());

afterEach(() => {
  delete process.env.INNGEST_DEV;
});

describe("startLocalExecutor", () => {
  it("starts once per process and database, and runs the product's functions", async () => {
    const [a, b] = await Promise.all([
      startLocalExecutor({ databaseUrl: databaseUrl(), logger: silentLogger }),
      startLocalExecutor({ databaseUrl: databaseUrl(), logger: silentLogger }),
    ]);
    const [ws] = await serviceDb()
      .insert(workspaces)
      .values({ name: "Launcher", slug: unique("launcher") })
      .returning({ id: workspaces.id });
    try {
      const { ids } = await sendEvent({ name: "workspace/digest.requested", data: { workspaceId: ws!.id, requestedBy: null } });
      // The digest sleeps five seconds between its steps: reaching that point is enough here.
      const run = await runReaching(ids[0]!, ["sleeping", "completed"]);
      expect(run.function_id).toBe("compose-workspace-digest");
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("does not start when Inngest is configured", async () => {
    process.env.INNGEST_DEV = "1";
    const info: string[] = [];
    const handle = await startLocalExecutor({ databaseUrl: databaseUrl(), logger: { ...silentLogger, info: (m) => info.push(m) } });
    await handle.stop();
    expect(info).toEqual(["Inngest is configured: the local job executor is not started."]);
  });
});
