import { z } from "zod";

/** What the Outbox page can make a recipient's mail server or the recipient do. Browser-safe. */
export const OUTBOX_SIMULATIONS = ["delivered", "opened", "clicked", "bounced", "complained", "replied"] as const;
export type OutboxSimulation = (typeof OUTBOX_SIMULATIONS)[number];

export const SIMULATION_LABELS: Record<OutboxSimulation, string> = {
  delivered: "Delivered",
  opened: "Opened",
  clicked: "Clicked",
  bounced: "Hard bounce",
  complained: "Complaint",
  replied: "Reply",
};

export const REPLY_MAX_CHARS = 10_000;

export const ZSimulateOutboxEvent = z
  .object({
    messageId: z.uuid({ message: "Choose a message of this outbox." }),
    kind: z.enum(OUTBOX_SIMULATIONS, { message: "Choose what to simulate." }),
    replyText: z.string().trim().max(REPLY_MAX_CHARS, `A reply can be at most ${REPLY_MAX_CHARS} characters.`).optional(),
  })
  .refine((input) => input.kind !== "replied" || !!input.replyText, {
    path: ["replyText"],
    message: "Write the reply's text.",
  });
export type SimulateOutboxEventInput = z.infer<typeof ZSimulateOutboxEvent>;
