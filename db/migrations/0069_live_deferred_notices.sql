-- The hot send path announces its changes itself, coalesced (lib/live/deferred-notices.ts):
-- a NOTIFY takes PostgreSQL's notify lock at COMMIT and holds it until the commit is flushed,
-- so every transaction that notifies commits one after the other. The send step's claim and
-- mark-sent statements (each for many emails) committed dozens of times a second; they now set
-- `lip.live_deferred` to their own statement_timestamp() (DEFER_LIVE in deferred-notices.ts)
-- and these triggers stay silent for that statement alone; the app sends the same notices a
-- moment after the commit, one per workspace and kind for all the statements of that moment.
-- Any other statement, and any writer that does not say so, notifies at its commit as before.
CREATE OR REPLACE FUNCTION private.live_notify()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  kind text := TG_ARGV[0];
  id_column text := TG_ARGV[1];
  changed_column text := TG_ARGV[2];
  changed_rows text;
BEGIN
  IF current_setting('lip.live_deferred', true) = statement_timestamp()::text THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND changed_column IS NOT NULL THEN
    changed_rows := format(
      'SELECT n.workspace_id AS w, n.%1$I AS id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.%2$I IS DISTINCT FROM o.%2$I',
      id_column, changed_column);
  ELSE
    changed_rows := format('SELECT workspace_id AS w, %1$I AS id FROM new_rows', id_column);
  END IF;
  EXECUTE format(
    'SELECT count(pg_notify(''lip_live'', json_build_object(''w'', g.w, ''k'', %1$L, ''ids'', CASE WHEN g.n <= 20 THEN g.ids END)::text))
     FROM (SELECT x.w, count(DISTINCT x.id) AS n, (array_agg(DISTINCT x.id) FILTER (WHERE x.id IS NOT NULL))[1:20] AS ids
           FROM (%2$s) x WHERE x.w IS NOT NULL GROUP BY x.w) g',
    kind, changed_rows);
  RETURN NULL;
END;
$$;
