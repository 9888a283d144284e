-- The funnel's last stages for a lead a rep marks interested, meeting or won without a reply
-- (after a call, say): until now they were marked only on the last email the lead answered, so
-- such a lead counted in the pipeline but in no funnel and in no rep's meetings. Now:
--   * the stage goes on the last email the lead answered or, when it answered none, on the
--     last campaign email sent to it (the touch that led to the call), at the moment the status
--     is set; a lead never emailed by a campaign has no place in the funnel and shows in the
--     pipeline only;
--   * once per lead: an email of the lead already marked interested (or meeting) keeps it, and
--     no second email is marked, so a lead counts once in the funnel's interested and meetings
--     (a reply to a later step no longer counts the lead interested twice).
-- The per-rep table's meetings are the same counts (the message rollups by owner), so the two agree.
CREATE OR REPLACE FUNCTION private.analytics_count_leads()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE private.analytics_lead_upsert_sql('SELECT 1 AS sign, n.created_at AS net_at, n.* FROM new_rows n');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE private.analytics_lead_upsert_sql('SELECT -1 AS sign, now() AS net_at, o.* FROM old_rows o');
  ELSE
    EXECUTE private.analytics_lead_upsert_sql(
      'SELECT 1 AS sign, now() AS net_at, n.* FROM new_rows n UNION ALL SELECT -1 AS sign, now() AS net_at, o.* FROM old_rows o');
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
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_count_leads() FROM public;--> statement-breakpoint

-- The leads already interested, at a meeting or won that no email carries: marked now on their
-- last campaign email, dated when the lead last took that status (its activity log; its last
-- update when the log has nothing), and only when that email had gone out by then. The
-- statement trigger on email_messages moves every message rollup with them.
WITH x AS (
  SELECT l.status, t.id AS target, t.sent_at,
         coalesce((SELECT max(a.created_at) FROM public.lead_activities a
                    WHERE a.lead_id = l.id AND a.workspace_id = l.workspace_id AND a.type = 'status_changed'
                      AND a.payload ->> 'after' IN ('interested', 'meeting', 'won')), l.updated_at) AS at,
         EXISTS (SELECT 1 FROM public.email_messages e WHERE e.workspace_id = l.workspace_id AND e.lead_id = l.id AND e.interested_at IS NOT NULL) AS interested_before,
         EXISTS (SELECT 1 FROM public.email_messages e WHERE e.workspace_id = l.workspace_id AND e.lead_id = l.id AND e.meeting_at IS NOT NULL) AS meeting_before
    FROM public.leads l
    CROSS JOIN LATERAL (
      SELECT t.id, t.sent_at FROM public.email_messages t
       WHERE t.workspace_id = l.workspace_id AND t.lead_id = l.id AND t.status = 'sent' AND t.sent_at IS NOT NULL
       ORDER BY t.replied_at DESC NULLS LAST, t.sent_at DESC, t.id DESC LIMIT 1) t
   WHERE l.status IN ('interested', 'meeting', 'won') AND l.deleted_at IS NULL
)
UPDATE public.email_messages m SET
  interested_at = CASE WHEN x.interested_before THEN m.interested_at ELSE coalesce(m.interested_at, x.at) END,
  meeting_at = CASE WHEN x.status IN ('meeting', 'won') AND NOT x.meeting_before THEN coalesce(m.meeting_at, x.at) ELSE m.meeting_at END
  FROM x
 WHERE m.id = x.target AND x.at >= x.sent_at
   AND (NOT x.interested_before OR (x.status IN ('meeting', 'won') AND NOT x.meeting_before));
