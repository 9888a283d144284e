-- The Instantly sync resumes leads and received emails after a stored cursor and daily analytics
-- from a stored day (instantly_sync_cursors). Those positions belong to the Instantly account
-- the key reached: after a new key (the sandbox's swapped for a real one, another Instantly
-- workspace) or a disconnect, resuming from them would skip every lead and reply older than the
-- old account's position. So saving or removing a workspace's Instantly key forgets its cursors,
-- in the same transaction: the next sync reads the new account from the start (its stores are
-- upserts, so a key rotated on the same account costs one full read and writes nothing twice).
-- The sealed key changes exactly when a key is saved (a fresh IV each time). SECURITY DEFINER:
-- the admin who saves the key may read the cursors but not delete them (only the sync writes).
CREATE OR REPLACE FUNCTION private.instantly_cursors_follow_key()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  DELETE FROM public.instantly_sync_cursors WHERE workspace_id = NEW.workspace_id;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.instantly_cursors_follow_key() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER integration_accounts_instantly_key_saved AFTER INSERT ON public.integration_accounts
  FOR EACH ROW WHEN (NEW.vendor = 'instantly') EXECUTE FUNCTION private.instantly_cursors_follow_key();--> statement-breakpoint
CREATE TRIGGER integration_accounts_instantly_key_changed AFTER UPDATE OF secret_ciphertext ON public.integration_accounts
  FOR EACH ROW WHEN (NEW.vendor = 'instantly' AND NEW.secret_ciphertext IS DISTINCT FROM OLD.secret_ciphertext)
  EXECUTE FUNCTION private.instantly_cursors_follow_key();
