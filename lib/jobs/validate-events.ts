import type { StandardSchemaV1 } from "inngest";
import { productEvents } from "@/inngest/client";
import { AppError } from "@/lib/errors";

type EventSchemas = Record<string, { schema?: StandardSchemaV1 }>;
type Candidate = { name: string; data: unknown };

/**
 * Checks events against their zod schemas (inngest/client.ts) before anything is enqueued.
 * The error names the event and each failing field, e.g. `data.workspaceId: Invalid UUID`.
 */
export async function validateEventPayloads(
  events: readonly Candidate[],
  options: { schemas?: EventSchemas; allowUnknown?: boolean } = {},
): Promise<void> {
  const schemas: EventSchemas = options.schemas ?? productEvents;
  for (const event of events) {
    const definition = Object.hasOwn(schemas, event.name) ? schemas[event.name] : undefined;
    if (!definition) {
      if (options.allowUnknown) continue;
      throw new AppError("invalid_input", `Unknown event "${event.name}": declare it in inngest/client.ts first.`);
    }
    if (!definition.schema) continue;
    const result = await definition.schema["~standard"].validate(event.data);
    if (!result.issues) continue;
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of result.issues) {
      const path = ["data", ...(issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p))].join(".");
      (fieldErrors[path] ??= []).push(issue.message);
    }
    const details = Object.entries(fieldErrors).map(([field, messages]) => `${field}: ${messages.join(", ")}`);
    throw new AppError("invalid_input", `The event "${event.name}" has an invalid payload (${details.join("; ")}).`, fieldErrors);
  }
}
