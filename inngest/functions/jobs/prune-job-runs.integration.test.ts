import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { eq, inArray } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { jobEvents, jobRuns } from "@/db/schema";
import { pruneJobRunsFunction } from "./prune-job-runs";

const DAY = 86_400_000;

describe("prune-job-runs (@inngest/test)", () => {
  it("deletes finished runs past the retention and their events, and nothing else", async () => {
    const db = serviceDb();
    const now = Date.now();
    const name = `test/prune-${randomUUID()}`;
    const [oldEvent, freshEvent] = await db
      .insert(jobEvents)
      .values([
        { name, data: {}, ts: new Date(now - 60 * DAY), createdAt: new Date(now - 60 * DAY), dispatchedAt: new Date(now - 60 * DAY) },
        { name, data: {}, ts: new Date(now - 60 * DAY), createdAt: new Date(now - 60 * DAY), dispatchedAt: new Date(now - 60 * DAY) },
      ])
      .returning({ id: jobEvents.id });
    const ended = new Date(now - 45 * DAY);
    const runs = await db
      .insert(jobRuns)
      .values([
        { functionId: "old-done", eventId: oldEvent!.id, status: "completed", endedAt: ended },
        { functionId: "old-but-sleeping", eventId: freshEvent!.id, status: "sleeping", nextAt: new Date(now + DAY) },
        { functionId: "recent", eventId: freshEvent!.id, status: "failed", endedAt: new Date(now - DAY) },
      ])
      .returning({ id: jobRuns.id, functionId: jobRuns.functionId });

    const engine = new InngestTestEngine({
      function: pruneJobRunsFunction,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "0 3 * * *" }, ts: now } as EventPayload],
    });
    const { result } = (await engine.execute()) as { result: { runs: number; events: number } };
    expect(result.runs).toBeGreaterThanOrEqual(1);

    const left = await db
      .select({ functionId: jobRuns.functionId })
      .from(jobRuns)
      .where(
        inArray(
          jobRuns.id,
          runs.map((r) => r.id),
        ),
      );
    expect(left.map((r) => r.functionId).sort()).toEqual(["old-but-sleeping", "recent"]);
    expect(await db.select().from(jobEvents).where(eq(jobEvents.id, oldEvent!.id))).toHaveLength(0);
    expect(await db.select().from(jobEvents).where(eq(jobEvents.id, freshEvent!.id))).toHaveLength(1);
    await db.delete(jobEvents).where(eq(jobEvents.id, freshEvent!.id));
  });

  it("takes its cutoff from the server clock, not from the event's timestamp", async () => {
    const db = serviceDb();
    const hourAgo = new Date(Date.now() - 3_600_000);
    const [event] = await db
      .insert(jobEvents)
      .values({ name: `test/prune-${randomUUID()}`, data: {}, ts: hourAgo, createdAt: hourAgo, dispatchedAt: hourAgo })
      .returning({ id: jobEvents.id });
    const [run] = await db
      .insert(jobRuns)
      .values({ functionId: "finished-an-hour-ago", eventId: event!.id, status: "completed", endedAt: hourAgo })
      .returning({ id: jobRuns.id });

    // An event that claims to come from ten years ahead, as a forged call would.
    const engine = new InngestTestEngine({
      function: pruneJobRunsFunction,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "0 3 * * *" }, ts: Date.now() + 3650 * DAY } as EventPayload],
    });
    await engine.execute();

    expect(await db.select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.id, run!.id))).toHaveLength(1);
    expect(await db.select({ id: jobEvents.id }).from(jobEvents).where(eq(jobEvents.id, event!.id))).toHaveLength(1);
    await db.delete(jobEvents).where(eq(jobEvents.id, event!.id));
  });
});
