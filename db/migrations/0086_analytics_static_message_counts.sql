-- The message rollups' upsert (fourteen inserts, analytics_message_upsert_sql) ran as dynamic
-- SQL: EXECUTE parses, analyses and plans it afresh at every statement on email_messages, and
-- that was most of its cost (a mark-sent of 8 emails: 4-5 ms in the trigger, 0.8 ms once
-- planned). PL/pgSQL keeps the plan of a static statement, transition tables included, for the
-- life of the connection. So the trigger function is now written from the generator's own
-- output, its three statements (insert, update, delete) static, by
-- private.analytics_compile_message_counts(): same rows, same sums, same transaction, planned
-- once per connection.
--
-- A migration that changes private.analytics_message_upsert_sql must call
-- private.analytics_compile_message_counts() after it, or the trigger keeps the old statement:
-- lib/analytics/unsent-messages.integration.test.ts fails until it does.

-- The trigger function's body, from the generator (0084's checks first: a statement whose rows
-- hold no sent message, before or after, moves no count and returns at once).
CREATE OR REPLACE FUNCTION private.analytics_count_messages_source()
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = ''
AS $fn$
DECLARE
  statements text[];
  rows_sql text;
  upsert text;
BEGIN
  FOREACH rows_sql IN ARRAY ARRAY[
    'SELECT 1 AS sign, * FROM new_rows',
    'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows',
    'SELECT -1 AS sign, * FROM old_rows'
  ] LOOP
    upsert := private.analytics_message_upsert_sql(rows_sql);
    -- Its last line, SELECT 1, takes a destination: PL/pgSQL runs a static SELECT only INTO something.
    IF upsert !~ 'SELECT 1\s*$' THEN
      RAISE EXCEPTION 'analytics_message_upsert_sql no longer ends with SELECT 1: adapt analytics_count_messages_source';
    END IF;
    statements := statements || regexp_replace(upsert, 'SELECT 1\s*$', 'SELECT 1 INTO done');
  END LOOP;
  RETURN format($body$
DECLARE
  done integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE status = 'sent' AND sent_at IS NOT NULL) THEN
      RETURN NULL;
    END IF;
    %1$s;
  ELSIF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE status = 'sent' AND sent_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM old_rows WHERE status = 'sent' AND sent_at IS NOT NULL) THEN
      RETURN NULL;
    END IF;
    %2$s;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM old_rows WHERE status = 'sent' AND sent_at IS NOT NULL) THEN
      RETURN NULL;
    END IF;
    %3$s;
  END IF;
  RETURN NULL;
END;
$body$, statements[1], statements[2], statements[3]);
END;
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_count_messages_source() FROM public;--> statement-breakpoint

-- (Re)writes private.analytics_count_messages() from the generator; its triggers stay as they are.
CREATE OR REPLACE FUNCTION private.analytics_compile_message_counts()
RETURNS void
LANGUAGE plpgsql SET search_path = ''
AS $fn$
BEGIN
  EXECUTE format(
    'CREATE OR REPLACE FUNCTION private.analytics_count_messages() RETURNS trigger '
    'LANGUAGE plpgsql SECURITY DEFINER SET search_path = '''' AS %L',
    private.analytics_count_messages_source());
  REVOKE ALL ON FUNCTION private.analytics_count_messages() FROM public;
END;
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_compile_message_counts() FROM public;--> statement-breakpoint

SELECT private.analytics_compile_message_counts();
