import { z } from "zod";

/**
 * What a Resend webhook delivery says, read defensively: the envelope is signed by the provider,
 * but its fields are still input (vendors/instantly-resend.md §2.7). Unknown fields are kept in
 * the stored payload and ignored here.
 */
export const ZResendEnvelope = z.object({
  type: z.string().min(1).max(100),
  created_at: z.string().max(64),
  data: z.record(z.string(), z.unknown()),
});
export type ResendEnvelope = z.infer<typeof ZResendEnvelope>;

const ZTagValue = z.string().max(256);

/**
 * Resend documents tags both as an object map (`{"campaign_id": "…"}`, the event examples and
 * the SDK's type) and as an array of `{name, value}` (the body-parameters page): both are read.
 */
const ZTags = z
  .union([z.record(z.string().max(256), ZTagValue), z.array(z.object({ name: z.string().max(256), value: ZTagValue }))])
  .transform((tags) => (Array.isArray(tags) ? Object.fromEntries(tags.map((t) => [t.name, t.value])) : tags));

const ZAddresses = z.union([z.string(), z.array(z.string())]).transform((a) => (Array.isArray(a) ? a : [a]));

/** `data` of an outbound email event (sent, delivered, bounced, opened, clicked…). */
export const ZOutboundEventData = z.object({
  email_id: z.string().min(1).max(200),
  tags: ZTags.nullish().transform((t) => t ?? {}),
  bounce: z
    .object({ type: z.string().max(100).nullish(), subType: z.string().max(100).nullish(), message: z.string().nullish() })
    .nullish(),
  click: z.object({ link: z.string().nullish() }).nullish(),
  failed: z.object({ reason: z.string().nullish() }).nullish(),
  suppressed: z.object({ type: z.string().max(100).nullish(), message: z.string().nullish() }).nullish(),
});
export type OutboundEventData = z.infer<typeof ZOutboundEventData>;

/** `data` of `email.received`: metadata only; the body is fetched (GET /emails/receiving/{id}). */
export const ZReceivedEventData = z.object({
  email_id: z.string().min(1).max(200),
  from: z.string().max(1000).nullish(),
  to: ZAddresses.nullish().transform((a) => a ?? []),
  received_for: ZAddresses.nullish().transform((a) => a ?? []),
  subject: z.string().nullish(),
  message_id: z.string().max(1000).nullish(),
});
export type ReceivedEventData = z.infer<typeof ZReceivedEventData>;

/** When it happened: the envelope's time when it is a date, else when we received it. */
export function occurredAt(envelope: { created_at: string }, receivedAt: Date): Date {
  const parsed = new Date(envelope.created_at);
  return Number.isNaN(parsed.getTime()) ? receivedAt : parsed;
}
