-- What an admin may change on a webhook endpoint: what Settings → Webhooks changes (its address,
-- description, events, enabled state and secrets), nothing that says whose it is. With UPDATE on
-- every column, an admin of two workspaces could move endpoints from one to the other (the
-- policy's check saw only that they were admin of both): past the cap of 20 per workspace (its
-- trigger counts inserts), out of sight of the first workspace's other admins, with nothing in
-- the audit log; and that workspace's pending deliveries, found by endpoint id, still went to it.
-- Its id too could be changed. As for deliveries (0094), only the app's columns are granted.
REVOKE UPDATE ON public.webhook_endpoints FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (
  url, description, event_types, enabled, disabled_reason, disabled_at, consecutive_failed_events, failing_since,
  secret_ciphertext, secret_key_id, secret_rotated_at, previous_secret_ciphertext, previous_secret_key_id,
  previous_secret_expires_at, updated_at
) ON public.webhook_endpoints TO authenticated;
