-- Tables of the embedded auth server (lib/auth-emulator), applied only when the app serves
-- Supabase Auth itself. Hosted Supabase has GoTrue's own tables and never runs this file.

CREATE TABLE IF NOT EXISTS auth.sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  aal text NOT NULL DEFAULT 'aal1',
  -- The sign-in method and time behind the session, repeated in every access token's `amr`.
  amr jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  not_after timestamptz
);
DO $$
BEGIN
  IF to_regclass('auth.sessions_user_id_idx') IS NULL THEN
    CREATE INDEX sessions_user_id_idx ON auth.sessions (user_id);
  END IF;
END;
$$;

-- Only a hash of each refresh token is kept; a used token stays as `revoked` so a replay
-- can be recognised and the whole session revoked.
CREATE TABLE IF NOT EXISTS auth.refresh_tokens (
  id bigserial PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
  parent_hash text,
  revoked boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
DO $$
BEGIN
  IF to_regclass('auth.refresh_tokens_session_idx') IS NULL THEN
    CREATE INDEX refresh_tokens_session_idx ON auth.refresh_tokens (session_id);
  END IF;
END;
$$;

-- Magic-link, invite and recovery tokens: single use, short-lived, hashed.
CREATE TABLE IF NOT EXISTS auth.one_time_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  token_type text NOT NULL CHECK (token_type IN ('magiclink', 'invite', 'recovery', 'signup')),
  token_hash text NOT NULL UNIQUE,
  otp_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  -- Wrong 6-digit codes entered for this user; past a few the code stops working (brute force).
  failed_attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
DO $$
BEGIN
  IF to_regclass('auth.one_time_tokens_user_idx') IS NULL THEN
    CREATE INDEX one_time_tokens_user_idx ON auth.one_time_tokens (user_id, token_type);
  END IF;
END;
$$;

-- Sign-in, reset and confirmation emails the provider has not yet accepted. /otp, /recover,
-- /signup and /resend record one with its token and answer at once, alike for every address
-- (waiting for the provider would tell a stranger which addresses have an account); it is sent
-- right after, and again after a failure or a crash (lib/auth-emulator/pending-emails.ts). A row
-- names its token only: the link and code are derived from the token's id with the server's key.
CREATE TABLE IF NOT EXISTS auth.pending_emails (
  token_id uuid PRIMARY KEY REFERENCES auth.one_time_tokens (id) ON DELETE CASCADE,
  to_address text NOT NULL,
  -- The same-origin path the link leads to after it is verified.
  next_path text NOT NULL,
  -- Attempts started; the first is started, and leased, by the request that records the row.
  attempts integer NOT NULL DEFAULT 1,
  -- When a sender may take it: the end of the current attempt's lease, or of the wait before a retry.
  next_attempt_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
DO $$
BEGIN
  IF to_regclass('auth.pending_emails_due_idx') IS NULL THEN
    CREATE INDEX pending_emails_due_idx ON auth.pending_emails (next_attempt_at);
  END IF;
END;
$$;

REVOKE ALL ON auth.sessions, auth.refresh_tokens, auth.one_time_tokens, auth.pending_emails FROM anon, authenticated;
