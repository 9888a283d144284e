import "server-only";
import { serviceDb, type Executor } from "@/db";
import { inngest, type ProductEventData, type ProductEventName } from "@/inngest/client";
import { describeServices, env } from "@/lib/env";
import { enqueueEvents } from "./enqueue-events";
import { validateEventPayloads } from "./validate-events";

export type SendableEvent = {
  [N in ProductEventName]: {
    name: N;
    data: ProductEventData<N>;
    /** Deduplication key: a second event with the same id is dropped (Inngest's event id). */
    id?: string;
    ts?: number;
  };
}[ProductEventName];

export type SendEventOptions = {
  /**
   * The executor to enqueue with: pass a (service-role) transaction and, with the local
   * executor, the events exist only if it commits. Inngest cannot join a PostgreSQL
   * transaction: with Inngest configured the events are sent at once, so call this after
   * the commit when the event must not outlive a rollback.
   */
  db?: Executor;
};

/**
 * The one way the product starts background work. Validates every event against its zod
 * schema (nothing is enqueued if one fails, and the error names the field), then sends to
 * Inngest when it is configured, else to the local executor through PostgreSQL.
 */
export async function sendEvent(
  input: SendableEvent | readonly SendableEvent[],
  options: SendEventOptions = {},
): Promise<{ ids: string[] }> {
  const events: readonly SendableEvent[] = isList(input) ? input : [input];
  if (events.length === 0) return { ids: [] };
  await validateEventPayloads(events);
  if (describeServices(env()).jobs === "inngest") {
    const { ids } = await inngest.send(
      events.map((e) => ({ name: e.name, data: e.data, ...(e.id ? { id: e.id } : {}), ...(e.ts ? { ts: e.ts } : {}) })),
    );
    return { ids };
  }
  return enqueueEvents(options.db ?? serviceDb(), events);
}

function isList(input: SendableEvent | readonly SendableEvent[]): input is readonly SendableEvent[] {
  return Array.isArray(input);
}
