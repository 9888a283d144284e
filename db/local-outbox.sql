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
DO $$
BEGIN
  IF to_regclass('local.outbox_messages_created_idx') IS NULL THEN
    CREATE INDEX outbox_messages_created_idx ON local.outbox_messages (created_at DESC);
  END IF;
END;
$$;

-- This file runs at every start, beside an app that may be sending: each change below is made
-- only when the catalog says it is missing, as ALTER TABLE takes an exclusive lock on its table
-- even with IF [NOT] EXISTS, and the start (a CLI command from cron too) queued every read and
-- write of the outbox behind the slowest transaction using it.

-- Who to answer and copy, kept so a simulated reply goes where a real one would.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'local.outbox_messages'::regclass AND attname = 'reply_to' AND NOT attisdropped) THEN
    ALTER TABLE local.outbox_messages ADD COLUMN reply_to text[] NOT NULL DEFAULT '{}';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'local.outbox_messages'::regclass AND attname = 'cc' AND NOT attisdropped) THEN
    ALTER TABLE local.outbox_messages ADD COLUMN cc text[] NOT NULL DEFAULT '{}';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'local.outbox_messages'::regclass AND attname = 'bcc' AND NOT attisdropped) THEN
    ALTER TABLE local.outbox_messages ADD COLUMN bcc text[] NOT NULL DEFAULT '{}';
  END IF;
  -- Idempotency keys expire after 24 hours as Resend's do, so one key may name several messages
  -- over time: the key's own table (below) decides, not a unique index here.
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'local.outbox_messages'::regclass AND conname = 'outbox_messages_idempotency_key_key') THEN
    ALTER TABLE local.outbox_messages DROP CONSTRAINT outbox_messages_idempotency_key_key;
  END IF;
END;
$$;

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
DO $$
BEGIN
  IF NOT (SELECT attnotnull FROM pg_attribute WHERE attrelid = 'local.outbox_idempotency_keys'::regclass AND attname = 'message_id') THEN
    DELETE FROM local.outbox_idempotency_keys WHERE message_id IS NULL;
    ALTER TABLE local.outbox_idempotency_keys ALTER COLUMN message_id SET NOT NULL;
  END IF;
END;
$$;

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
DO $$
BEGIN
  IF to_regclass('local.outbox_webhook_deliveries_due_idx') IS NULL THEN
    CREATE INDEX outbox_webhook_deliveries_due_idx ON local.outbox_webhook_deliveries (next_attempt_at)
      WHERE delivered_at IS NULL AND failed_at IS NULL;
  END IF;
END;
$$;
DO $$
BEGIN
  IF to_regclass('local.outbox_webhook_deliveries_email_idx') IS NULL THEN
    CREATE INDEX outbox_webhook_deliveries_email_idx ON local.outbox_webhook_deliveries (email_id, created_at);
  END IF;
END;
$$;

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
DO $$
BEGIN
  IF to_regclass('local.outbox_received_emails_reply_idx') IS NULL THEN
    CREATE INDEX outbox_received_emails_reply_idx ON local.outbox_received_emails (reply_to_message_id, created_at);
  END IF;
END;
$$;
