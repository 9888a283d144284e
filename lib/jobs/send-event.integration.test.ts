import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { jobEvents, workspaces } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { sendEvent, type SendableEvent } from "./send-event";
import { unique } from "./testing/harness";

/** `sendEvent` with the local executor (the integration environment has no Inngest configured). */

let workspaceId: string;
beforeAll(async () => {
  const [ws] = await serviceDb()
    .insert(workspaces)
    .values({ name: "Send event", slug: unique("send-event") })
    .returning({ id: workspaces.id });
  workspaceId = ws!.id;
});
afterAll(async () => {
  await serviceDb().delete(workspaces).where(eq(workspaces.id, workspaceId));
});

const eventsOf = (id: string) =>
  serviceDb()
    .select()
    .from(jobEvents)
    .where(sql`${jobEvents.workspaceId} = ${id} and ${jobEvents.name} = 'workspace/digest.requested'`);

class Rollback extends Error {}

describe("sendEvent", () => {
  it("enqueues a valid event for the local executor, scoped to its workspace", async () => {
    const { ids } = await sendEvent({ name: "workspace/digest.requested", data: { workspaceId, requestedBy: null } });
    expect(ids).toHaveLength(1);
    const [row] = await serviceDb().select().from(jobEvents).where(eq(jobEvents.id, ids[0]!));
    expect(row).toMatchObject({ name: "workspace/digest.requested", workspaceId, data: { workspaceId, requestedBy: null } });
  });

  it("rejects an invalid payload with a message naming the field, and enqueues nothing", async () => {
    const before = (await eventsOf(workspaceId)).length;
    const bad = [
      { name: "workspace/digest.requested", data: { workspaceId, requestedBy: null } },
      { name: "workspace/digest.requested", data: { workspaceId: "nope", requestedBy: null } },
    ] as SendableEvent[];
    const error = await sendEvent(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_input");
    expect((error as AppError).message).toMatch(/workspace\/digest\.requested.*data\.workspaceId: /);
    expect((error as AppError).fieldErrors).toHaveProperty(["data.workspaceId"]);
    expect((await eventsOf(workspaceId)).length).toBe(before);
  });

  it("rejects a missing field and an unknown event", async () => {
    await expect(sendEvent({ name: "workspace/digest.requested", data: { workspaceId } } as unknown as SendableEvent)).rejects.toThrow(
      "data.requestedBy",
    );
    await expect(sendEvent({ name: "lead/nothing.happened", data: {} } as unknown as SendableEvent)).rejects.toThrow(
      'Unknown event "lead/nothing.happened"',
    );
  });

  it("enqueues inside the caller's transaction: nothing if it rolls back, the event if it commits", async () => {
    const marker = randomUUID();
    const event = { name: "workspace/digest.requested", data: { workspaceId, requestedBy: marker } } as const;
    await expect(
      serviceDb().transaction(async (tx) => {
        await sendEvent(event, { db: tx });
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    const mine = async () => (await eventsOf(workspaceId)).filter((e) => (e.data as { requestedBy: string }).requestedBy === marker);
    expect(await mine()).toHaveLength(0);
    await serviceDb().transaction((tx) => sendEvent(event, { db: tx }));
    expect(await mine()).toHaveLength(1);
  });

  it("drops a second event with the same id", async () => {
    const id = randomUUID();
    const event = { name: "workspace/digest.requested", data: { workspaceId, requestedBy: null }, id } as const;
    await sendEvent(event);
    await sendEvent(event);
    expect(await serviceDb().select().from(jobEvents).where(eq(jobEvents.idempotencyKey, id))).toHaveLength(1);
  });
});
