"use server";
import { defineAction } from "@/app/_server/action";
import { simulateOutboxEvent } from "@/lib/outbox/simulate-outbox-event";
import { ZSimulateOutboxEvent } from "@/lib/outbox/simulations";

/**
 * The outbox is not tenant data (local.*, service role only): the service finds the message
 * among the session workspace's own product mail and checks the role again.
 */
export const simulateOutboxEmailEvent = defineAction({
  name: "simulateOutboxEmailEvent",
  schema: ZSimulateOutboxEvent,
  auth: "outbox.simulate",
  handler: ({ session }, input) => simulateOutboxEvent({ workspaceId: session.current.workspaceId, role: session.current.role }, input),
  revalidate: ["/settings/outbox"],
});
