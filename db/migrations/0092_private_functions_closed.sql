-- Functions in `private` are callable only by the roles granted them. Migration 0000 revoked
-- PUBLIC's EXECUTE from the functions that existed then, and PostgreSQL grants it on every new
-- function by default, so later ones were open to every role with USAGE on the schema. Two of
-- them mattered: private.record_webhook_event and private.webhook_subscribed (migration 0059) are
-- SECURITY DEFINER, and they trust their workspace argument, as their callers (triggers and the
-- service connection) may; any signed-in user could call them to queue an event into another
-- workspace's outbox, delivered signed with that workspace's secret, or to learn what it
-- subscribes to. PUBLIC's EXECUTE on new functions is a default of the whole database, which a
-- per-schema ALTER DEFAULT PRIVILEGES cannot take back: each migration that adds a function here
-- revokes it, and db/rls.integration.test.ts fails on any function in `private` left open.
REVOKE EXECUTE ON FUNCTION
  private.webhook_subscribed(uuid, text),
  private.record_webhook_event(uuid, text, jsonb),
  private.webhook_lead_json(public.leads),
  private.lead_imports_webhook_events(),
  private.campaigns_webhook_events(),
  private.email_messages_webhook_events(),
  private.campaign_delivery_guard(),
  private.audit_log_api_key()
FROM PUBLIC;--> statement-breakpoint
-- lib/webhooks/record-event.ts records events no trigger sees, on the service connection.
GRANT EXECUTE ON FUNCTION private.webhook_subscribed(uuid, text), private.record_webhook_event(uuid, text, jsonb) TO service_role;
