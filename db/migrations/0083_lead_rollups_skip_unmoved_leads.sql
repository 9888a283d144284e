-- The leads' analytics trigger (migrations 0055, 0072, 0075) on an UPDATE did two things for
-- every statement, whatever it changed:
--   * it counted every updated lead out of its rollup group and back in (-1 old row, +1 new
--     row), a dynamic statement built, planned and run even when every pair cancelled out, as it
--     does for an edit of titles or tags (an API bulk upsert's update of 500 leads: ~30 ms);
--   * it ran the funnel's UPDATE of email_messages even when no lead took a new status, and
--     that UPDATE of no rows still fired email_messages' statement triggers, whose rollup
--     statement is built and planned each time (~50 ms).
-- Now the rollups get only the leads that move from a group to another (workspace, owner,
-- source, status, created_at and whether it is deleted are a group's keys: a lead that keeps
-- them all adds +1 and -1 to the same groups), and the funnel's UPDATE runs only when some
-- lead became interested, met or won. The counts are the same.
CREATE OR REPLACE FUNCTION private.analytics_count_leads()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  v_moved uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE private.analytics_lead_upsert_sql('SELECT 1 AS sign, n.created_at AS net_at, n.* FROM new_rows n');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE private.analytics_lead_upsert_sql('SELECT -1 AS sign, now() AS net_at, o.* FROM old_rows o');
  ELSE
    -- The leads whose group keys changed: their (id, keys) row is not among the old rows. EXCEPT
    -- is a hashed set operation; an EXISTS over the join of the two transition tables was planned
    -- as a nested loop (250,000 comparisons for 500 leads).
    v_moved := ARRAY(
      SELECT m.id FROM (
        SELECT n.id, n.workspace_id, n.owner_id, n.source, n.status, n.created_at, n.deleted_at IS NULL FROM new_rows n
        EXCEPT
        SELECT o.id, o.workspace_id, o.owner_id, o.source, o.status, o.created_at, o.deleted_at IS NULL FROM old_rows o
      ) m);
    IF cardinality(v_moved) > 0 THEN
      EXECUTE private.analytics_lead_upsert_sql(
        'SELECT 1 AS sign, now() AS net_at, n.* FROM new_rows n WHERE n.id = ANY ($1)
         UNION ALL
         SELECT -1 AS sign, now() AS net_at, o.* FROM old_rows o WHERE o.id = ANY ($1)') USING v_moved;
    END IF;
    -- The funnel's last stages, as migration 0075 sets them, for the leads newly interested (or further).
    IF EXISTS (
      SELECT 1 FROM (
        SELECT n.id, n.status FROM new_rows n WHERE n.status IN ('interested', 'meeting', 'won')
        EXCEPT
        SELECT o.id, o.status FROM old_rows o
      ) x
    ) THEN
      UPDATE public.email_messages m SET
        interested_at = CASE WHEN x.interested_before THEN m.interested_at ELSE coalesce(m.interested_at, now()) END,
        meeting_at = CASE WHEN x.status IN ('meeting', 'won') AND NOT x.meeting_before THEN coalesce(m.meeting_at, now()) ELSE m.meeting_at END
      FROM (
        SELECT n.status,
               (SELECT t.id FROM public.email_messages t
                 WHERE t.workspace_id = n.workspace_id AND t.lead_id = n.id AND t.status = 'sent' AND t.sent_at IS NOT NULL
                 ORDER BY t.replied_at DESC NULLS LAST, t.sent_at DESC, t.id DESC LIMIT 1) AS target,
               EXISTS (SELECT 1 FROM public.email_messages e
                        WHERE e.workspace_id = n.workspace_id AND e.lead_id = n.id AND e.interested_at IS NOT NULL) AS interested_before,
               EXISTS (SELECT 1 FROM public.email_messages e
                        WHERE e.workspace_id = n.workspace_id AND e.lead_id = n.id AND e.meeting_at IS NOT NULL) AS meeting_before
          FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE n.status IN ('interested', 'meeting', 'won') AND n.status IS DISTINCT FROM o.status
      ) x
      WHERE m.id = x.target
        AND (NOT x.interested_before OR (x.status IN ('meeting', 'won') AND NOT x.meeting_before));
    END IF;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_count_leads() FROM public;
