-- An integration key's ciphertext is never readable by a user role, whatever RLS lets them see
-- of the row: members read the status columns only. The people who may use a key (to search,
-- enrich, import: admins, managers, sales reps) get its ciphertext through
-- private.integration_account_secret, which checks their role in the row's workspace; the
-- server decrypts it with ENCRYPTION_KEY, which the database never holds.
-- Writing a secret is an admin's (the RLS policies); reading one back is nobody's. (anon keeps the same
-- columns as on every table, where no policy shows it a row.)
REVOKE SELECT ON public.integration_accounts FROM anon, authenticated;--> statement-breakpoint
GRANT SELECT (id, workspace_id, vendor, key_last4, sandbox, status, last_success_at, last_error, last_error_at,
  created_by, updated_by, created_at, updated_at) ON public.integration_accounts TO anon, authenticated;--> statement-breakpoint
CREATE TRIGGER integration_accounts_touch_updated_at BEFORE UPDATE ON public.integration_accounts
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.integration_account_secret(account uuid)
RETURNS TABLE (workspace_id uuid, vendor text, secret_ciphertext text, secret_key_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
AS $$
  SELECT a.workspace_id, a.vendor::text, a.secret_ciphertext, a.secret_key_id
  FROM public.integration_accounts a
  WHERE a.id = account
    AND a.secret_ciphertext IS NOT NULL
    AND private.has_workspace_role(a.workspace_id, array['admin', 'manager', 'sales_rep']);
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.integration_account_secret(uuid) FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.integration_account_secret(uuid) TO authenticated, service_role;
