-- Sending (DESIGN.md §7): what drizzle cannot say about the tables of 0025.

-- A step deleted from a campaign returned to draft keeps its messages in the history: only
-- step_id is cleared (PostgreSQL 15+ column list), never the workspace the row belongs to.
ALTER TABLE public.email_messages DROP CONSTRAINT email_messages_step_fkey;--> statement-breakpoint
ALTER TABLE public.email_messages ADD CONSTRAINT email_messages_step_fkey FOREIGN KEY (workspace_id, step_id)
  REFERENCES public.campaign_steps (workspace_id, id) ON DELETE SET NULL (step_id);--> statement-breakpoint
ALTER TABLE public.email_replies DROP CONSTRAINT email_replies_message_fkey;--> statement-breakpoint
ALTER TABLE public.email_replies ADD CONSTRAINT email_replies_message_fkey FOREIGN KEY (workspace_id, message_id)
  REFERENCES public.email_messages (workspace_id, id) ON DELETE SET NULL (message_id);--> statement-breakpoint

-- An identity deleted (only possible while no launched campaign uses it: the service refuses
-- otherwise and offers archiving) leaves its past messages and enrollments in the history.
ALTER TABLE public.email_messages DROP CONSTRAINT email_messages_identity_fkey;--> statement-breakpoint
ALTER TABLE public.email_messages ADD CONSTRAINT email_messages_identity_fkey FOREIGN KEY (workspace_id, identity_id)
  REFERENCES public.sending_identities (workspace_id, id) ON DELETE SET NULL (identity_id);--> statement-breakpoint
ALTER TABLE public.campaign_enrollments DROP CONSTRAINT campaign_enrollments_identity_fkey;--> statement-breakpoint
ALTER TABLE public.campaign_enrollments ADD CONSTRAINT campaign_enrollments_identity_fkey FOREIGN KEY (workspace_id, identity_id)
  REFERENCES public.sending_identities (workspace_id, id) ON DELETE SET NULL (identity_id);--> statement-breakpoint

CREATE TRIGGER email_messages_touch_updated_at BEFORE UPDATE ON public.email_messages
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint

-- Messages, events, replies and usage are written by jobs and webhooks on the service
-- connection only: people read them (RLS has no write policy) and hold no UPDATE grant.
REVOKE UPDATE ON public.email_messages, public.email_events, public.email_replies, public.sending_identity_usage
  FROM anon, authenticated;--> statement-breakpoint

-- An admin pausing a campaign says why (the bounce breaker does so on the service connection).
GRANT UPDATE (pause_reason, paused_at, paused_by) ON public.campaigns TO authenticated;
--> statement-breakpoint

-- Every webhook delivery accepted after its signature was verified, once per delivery id
-- (svix-id: stable across the provider's retries, so a replay is recognised and ignored).
-- Not tenant data until processed: outside public, service connection only.
CREATE TABLE private.webhook_receipts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider text NOT NULL,
  delivery_id text NOT NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  -- What processing concluded ("unknown message", "bounce recorded"), for the operator.
  outcome text,
  CONSTRAINT webhook_receipts_delivery_key UNIQUE (provider, delivery_id),
  CONSTRAINT webhook_receipts_delivery_id_length CHECK (char_length(delivery_id) BETWEEN 1 AND 200),
  CONSTRAINT webhook_receipts_payload_size CHECK (pg_column_size(payload) <= 262144)
);--> statement-breakpoint
CREATE INDEX webhook_receipts_received_idx ON private.webhook_receipts (received_at);--> statement-breakpoint
ALTER TABLE private.webhook_receipts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE private.webhook_receipts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON private.webhook_receipts FROM PUBLIC, anon, authenticated;
