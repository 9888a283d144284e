import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { workspaces } from "@/db/schema";
import { sendEvent } from "./send-event";
import { startLocalExecutor } from "./start-local-executor";
import { runReaching, silentLogger, unique } from "./testing/harness";

const databaseUrl = () => process.env.DATABASE_URL ?? "";

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
      await serviceDb().delete(workspaces).where(eq(workspaces.id, ws!.id));
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
