-- What an admin may change on a webhook delivery: its retry state (redelivery,
-- lib/webhooks/deliveries.ts), nothing that says what is delivered where. With UPDATE on every
-- column, and foreign keys to events and endpoints by id alone, an admin could point a delivery
-- of their workspace at another workspace's event (its lead data sent to their endpoint) or
-- endpoint (their payload signed with its secret); the policy's check saw only workspace_id.
REVOKE UPDATE ON public.webhook_deliveries FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (status, max_attempts, next_attempt_at, completed_at, lease_until) ON public.webhook_deliveries TO authenticated;
