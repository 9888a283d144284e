import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobEvents } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { workspaceOf } from "./workspace-of";
import { JOBS_CHANNEL } from "./executor/store";
import { sqlStateOf } from "@/db/sql-state";

export type EventToEnqueue = { name: string; data: Record<string, unknown>; id?: string; ts?: number };

/**
 * Stores events for the local executor and wakes it (NOTIFY is delivered at commit). Inside
 * the caller's transaction the events exist only if it commits. No validation here:
 * `sendEvent` validates; this is also the bench's and the tests' way in.
 */
export async function enqueueEvents(db: Executor, events: readonly EventToEnqueue[]): Promise<{ ids: string[] }> {
  if (events.length === 0) return { ids: [] };
  const rows = events.map((e) => ({
    id: randomUUID(),
    name: e.name,
    data: e.data,
    workspaceId: workspaceOf(e.data),
    idempotencyKey: e.id ?? null,
    ts: new Date(e.ts ?? Date.now()),
  }));
  try {
    await db.insert(jobEvents).values(rows).onConflictDoNothing({ target: jobEvents.idempotencyKey });
  } catch (error) {
    const code = sqlStateOf(error);
    if (code === "42501") {
      throw new AppError(
        "forbidden",
        "Events cannot be enqueued inside a user (RLS) transaction: use the service executor, after the user's transaction commits.",
      );
    }
    if (code === "23503") throw new AppError("not_found", "The event's workspace does not exist.");
    throw error;
  }
  await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, 'event')`);
  return { ids: rows.map((r) => r.id) };
}
