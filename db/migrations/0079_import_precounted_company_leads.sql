-- An import batch creates most of its companies for the leads it is about to insert: it now
-- creates them with those leads already counted and keeps every company's lead_count itself
-- (lib/imports/merge-sql.ts, COUNT_COMPANY_LEADS_SQL). Counting them in this trigger after the
-- insert updated every company the batch had just created, a second version of each row with
-- all of the companies' indexes written again, since lead_count is indexed (bench:import,
-- 100,000 rows into a million leads: ~8,000 companies a batch of 10,000 rows, 1.1-2.2 s of
-- the insert's 11 s). The INSERT statement of the batch sets `lip.company_counts_by_caller` to
-- its own statement_timestamp() and this trigger stays silent for that statement alone; any
-- other statement, and any writer that does not say so, is counted here as before.
CREATE OR REPLACE FUNCTION private.leads_count_companies()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  ids uuid[];
  deltas integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF current_setting('lip.company_counts_by_caller', true) = statement_timestamp()::text THEN
      RETURN NULL;
    END IF;
    SELECT array_agg(d.company_id ORDER BY d.company_id), array_agg(d.n ORDER BY d.company_id) INTO ids, deltas
    FROM (SELECT company_id, count(*)::integer AS n FROM new_rows
          WHERE company_id IS NOT NULL AND deleted_at IS NULL GROUP BY company_id) d;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(d.company_id ORDER BY d.company_id), array_agg(d.n ORDER BY d.company_id) INTO ids, deltas
    FROM (SELECT company_id, -count(*)::integer AS n FROM old_rows
          WHERE company_id IS NOT NULL AND deleted_at IS NULL GROUP BY company_id) d;
  ELSE
    -- Moved to another company, soft-deleted or restored: what the statement added minus what it took.
    SELECT array_agg(d.company_id ORDER BY d.company_id), array_agg(d.n ORDER BY d.company_id) INTO ids, deltas
    FROM (SELECT x.company_id, sum(x.n)::integer AS n
          FROM (SELECT company_id, 1 AS n FROM new_rows WHERE company_id IS NOT NULL AND deleted_at IS NULL
                UNION ALL
                SELECT company_id, -1 AS n FROM old_rows WHERE company_id IS NOT NULL AND deleted_at IS NULL) x
          GROUP BY x.company_id HAVING sum(x.n) <> 0) d;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM public.companies c WHERE c.id = ANY (ids) ORDER BY c.id FOR UPDATE;
  UPDATE public.companies c SET lead_count = c.lead_count + d.n
  FROM unnest(ids, deltas) AS d(id, n)
  WHERE c.id = d.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The import's "imported" timeline entries are written at the time its leads' last_activity_at
-- already says (INSERT_LEADS_SQL and the update set it to now()), so moving last_activity_at
-- after them changes no lead: yet the statement trigger looked every lead of the batch up again
-- (9,000 index look-ups a batch). The import's insert sets `lip.activities_touch_by_caller` to
-- its statement_timestamp() and the trigger stays silent for that statement alone.
CREATE OR REPLACE FUNCTION private.activities_touch_leads()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF current_setting('lip.activities_touch_by_caller', true) = statement_timestamp()::text THEN
    RETURN NULL;
  END IF;
  UPDATE public.leads l SET last_activity_at = a.latest
  FROM (SELECT n.workspace_id, n.lead_id, max(n.created_at) AS latest FROM new_rows n GROUP BY 1, 2) a
  WHERE l.workspace_id = a.workspace_id AND l.id = a.lead_id
    AND (l.last_activity_at IS NULL OR l.last_activity_at < a.latest);
  RETURN NULL;
END;
$$;
