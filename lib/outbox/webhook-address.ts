/**
 * Where the embedded outbox delivers its Resend-style webhooks: the app's Resend webhook route,
 * marked as the outbox's own by a query the route ignores (the Svix signature, not the address,
 * is what the route trusts). The mark lets the dev server's request log leave out the outbox's
 * deliveries, a line per email event, and still show every other request to the route: Resend's
 * own (a tunnel to a developer's machine), a hand-made curl, a forged one (next.config.ts).
 * No imports: next.config.ts reads it.
 */
export const OUTBOX_WEBHOOK_PATH = "/api/webhooks/resend?from=local-outbox";
