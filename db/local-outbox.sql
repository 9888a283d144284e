-- The embedded Resend-compatible outbox (lib/outbox). Not tenant data: only the service role
-- reads it, and the Dev outbox page filters it to the viewer's workspace.
CREATE SCHEMA IF NOT EXISTS local;
REVOKE ALL ON SCHEMA local FROM public;
CREATE TABLE IF NOT EXISTS local.outbox_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  idempotency_key text UNIQUE,
  from_address text NOT NULL,
  to_addresses text[] NOT NULL,
  subject text NOT NULL,
  html text,
  text_body text,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  tags jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_messages_created_idx ON local.outbox_messages (created_at DESC);

-- Who to answer and copy, kept so a simulated reply goes where a real one would.
ALTER TABLE local.outbox_messages ADD COLUMN IF NOT EXISTS reply_to text[] NOT NULL DEFAULT '{}';
ALTER TABLE local.outbox_messages ADD COLUMN IF NOT EXISTS cc text[] NOT NULL DEFAULT '{}';
ALTER TABLE local.outbox_messages ADD COLUMN IF NOT EXISTS bcc text[] NOT NULL DEFAULT '{}';
-- Idempotency keys expire after 24 hours as Resend's do, so one key may name several messages
-- over time: the key's own table (below) decides, not a unique index here.
ALTER TABLE local.outbox_messages DROP CONSTRAINT IF EXISTS outbox_messages_idempotency_key_key;

-- Resend's Idempotency-Key: the payload's hash and the message stored under it, written in the
-- statement that stores the message (lib/outbox/store.ts), so a key never exists without its
-- message: a repeat sees the first answer or, while the first is uncommitted, waits for it.
CREATE TABLE IF NOT EXISTS local.outbox_idempotency_keys (
  key text PRIMARY KEY,
  request_hash text NOT NULL,
  message_id uuid NOT NULL REFERENCES local.outbox_messages (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Before, a key was claimed (committed, message_id null) and bound once its message was stored;
-- a claim whose request died in between is of no use to anyone.
DELETE FROM local.outbox_idempotency_keys WHERE message_id IS NULL;
ALTER TABLE local.outbox_idempotency_keys ALTER COLUMN message_id SET NOT NULL;

-- Svix-style webhook deliveries to the app's /api/webhooks/resend: written in the transaction
-- that stores what they announce, retried with back-off until a 2xx, so none is lost on a
-- restart. `id` is the svix-id (the same on every attempt); `body` is signed as it is.
CREATE TABLE IF NOT EXISTS local.outbox_webhook_deliveries (
  id text PRIMARY KEY,
  event_type text NOT NULL,
  email_id uuid NOT NULL,
  body text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  failed_at timestamptz,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_webhook_deliveries_due_idx ON local.outbox_webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_webhook_deliveries_email_idx ON local.outbox_webhook_deliveries (email_id, created_at);

-- Inbound mail (Resend's "receiving"): the simulated replies, served at GET /emails/receiving/{id}.
CREATE TABLE IF NOT EXISTS local.outbox_received_emails (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reply_to_message_id uuid NOT NULL REFERENCES local.outbox_messages (id) ON DELETE CASCADE,
  from_address text NOT NULL,
  to_addresses text[] NOT NULL,
  subject text NOT NULL,
  html text,
  text_body text NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  message_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_received_emails_reply_idx ON local.outbox_received_emails (reply_to_message_id, created_at);
