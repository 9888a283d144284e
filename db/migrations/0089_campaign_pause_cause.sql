CREATE TYPE "public"."campaign_pause_cause" AS ENUM('manual', 'bounce_breaker', 'launch_held');--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "pause_cause" "campaign_pause_cause";--> statement-breakpoint
-- Why a paused campaign is paused. Until now the home page's "paused by the bounce breaker"
-- panel read paused_by IS NULL as the breaker's, but paused_by also goes to null when the admin
-- who paused a campaign by hand is deleted (ON DELETE SET NULL), and a launch or resume that
-- could not finish pauses with a null paused_by too: both showed there as bounce-breaker pauses.
-- Every pause now records its cause (lib/campaigns/lifecycle/pause-campaign.ts, the breaker,
-- holdLaunch). The campaigns paused before this migration take theirs from their last pause in
-- the audit log (campaign.paused: an admin's; campaign.auto_paused with a `cause`: holdLaunch's,
-- without: the breaker's); an admin's name on the row is an admin's pause whatever the log says,
-- and a system pause the log no longer has stays the breaker's, as the home page read it.
UPDATE public.campaigns c SET pause_cause = CASE
    WHEN c.paused_by IS NOT NULL THEN 'manual'
    WHEN last_pause.action = 'campaign.paused' THEN 'manual'
    WHEN last_pause.action = 'campaign.auto_paused' AND last_pause.metadata ? 'cause' THEN 'launch_held'
    ELSE 'bounce_breaker'
  END::public.campaign_pause_cause
  FROM public.campaigns c2
  LEFT JOIN LATERAL (
    SELECT a.action, a.metadata FROM public.audit_log a
     WHERE a.workspace_id = c2.workspace_id AND a.target_type = 'campaign' AND a.target_id = c2.id::text
       AND a.action IN ('campaign.paused', 'campaign.auto_paused')
     ORDER BY a.created_at DESC, a.id DESC LIMIT 1
  ) last_pause ON true
 WHERE c2.id = c.id AND c.status = 'paused';--> statement-breakpoint
-- An admin's pause (an RLS transaction) writes it with the other pause columns.
GRANT UPDATE (pause_cause) ON public.campaigns TO authenticated;
