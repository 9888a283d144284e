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
