-- DESIGN.md §7.1 in the database: nothing reaches "approved" without an admin, approval covers
-- an exact content hash, any later change of the content returns the campaign to draft, and
-- only a campaign whose content still hashes to the approved value can run. The services check
-- all of this first and explain it; these triggers hold whoever writes.

-- Step positions are swapped by a reorder inside one transaction.
ALTER TABLE public.campaign_steps DROP CONSTRAINT campaign_steps_position_key;--> statement-breakpoint
ALTER TABLE public.campaign_steps ADD CONSTRAINT campaign_steps_position_key
  UNIQUE (campaign_id, position) DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint

ALTER TABLE public.campaigns ADD CONSTRAINT campaigns_approval_fkey
  FOREIGN KEY (approval_id) REFERENCES public.campaign_approvals (id) ON DELETE SET NULL;--> statement-breakpoint

-- A campaign's content as one jsonb value: the audience rule, the settings, the identities with
-- what of them shows in an email, the steps (with their ids: messages refer to them) and their
-- variants. jsonb's text form is canonical (keys in a fixed order), so equal content gives an
-- equal hash. The campaign's own columns come from the row passed in, so a BEFORE UPDATE
-- trigger can hash the row as it is about to be.
CREATE OR REPLACE FUNCTION private.campaign_content(c public.campaigns)
RETURNS jsonb
LANGUAGE sql STABLE SET search_path = ''
AS $$
  SELECT jsonb_build_object(
    'audience', c.audience,
    'stopOnReply', c.stop_on_reply,
    'plainTextOnly', c.plain_text_only,
    'identities', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
        'id', i.id, 'fromName', i.from_name, 'fromEmail', i.from_email, 'replyTo', i.reply_to,
        'signature', i.signature, 'postalAddress', i.postal_address) ORDER BY i.id)
      FROM public.campaign_identities ci JOIN public.sending_identities i ON i.id = ci.identity_id
      WHERE ci.campaign_id = c.id), '[]'::jsonb),
    'steps', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
        'id', s.id, 'position', s.position, 'delayDays', s.delay_days, 'delayHours', s.delay_hours,
        'businessDays', s.business_days,
        'variants', coalesce((
          SELECT jsonb_agg(jsonb_build_object('label', v.label, 'weight', v.weight, 'subject', v.subject, 'body', v.body) ORDER BY v.label)
          FROM public.campaign_step_variants v WHERE v.step_id = s.id), '[]'::jsonb)) ORDER BY s.position)
      FROM public.campaign_steps s WHERE s.campaign_id = c.id), '[]'::jsonb));
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.campaign_content_hash_of(c public.campaigns)
RETURNS text
LANGUAGE sql STABLE SET search_path = ''
AS $$
  SELECT encode(sha256(convert_to(private.campaign_content(c)::text, 'UTF8')), 'hex');
$$;--> statement-breakpoint

-- The hash of a campaign as stored now (what the services compare and record).
CREATE OR REPLACE FUNCTION private.campaign_content_hash(campaign_id uuid)
RETURNS text
LANGUAGE sql STABLE SET search_path = ''
AS $$
  SELECT private.campaign_content_hash_of(c) FROM public.campaigns c WHERE c.id = campaign_id;
$$;--> statement-breakpoint

-- Every update of a campaign passes here. An explicit status change must be a transition the
-- life cycle allows, by a role allowed to make it (checked for user requests: role
-- `authenticated`; jobs on the service connection are trusted with the role, not the rules).
-- Without a status change, content that no longer hashes to what was submitted or approved
-- sends the campaign back to draft.
CREATE OR REPLACE FUNCTION private.campaign_guard()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
DECLARE
  content_hash text := private.campaign_content_hash_of(NEW);
  by_user boolean := current_user = 'authenticated';
  by_admin boolean := private.has_workspace_role(NEW.workspace_id, array['admin']);
BEGIN
  IF NEW.workspace_id <> OLD.workspace_id THEN
    RAISE EXCEPTION 'a campaign cannot move to another workspace' USING ERRCODE = 'check_violation';
  END IF;

  IF by_user AND NOT by_admin AND (NEW.approved_content_hash, NEW.approved_by, NEW.approved_at, NEW.approval_id)
      IS DISTINCT FROM (OLD.approved_content_hash, OLD.approved_by, OLD.approved_at, OLD.approval_id) THEN
    RAISE EXCEPTION 'only an admin records an approval' USING ERRCODE = 'insufficient_privilege';
  END IF;

  IF NEW.status IS DISTINCT FROM OLD.status THEN
    CASE NEW.status
      WHEN 'draft' THEN
        IF OLD.status IN ('completed', 'stopped') THEN
          RAISE EXCEPTION 'a finished campaign cannot return to draft' USING ERRCODE = 'check_violation';
        END IF;
      WHEN 'pending_approval' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION 'only a draft can be submitted' USING ERRCODE = 'check_violation';
        END IF;
        NEW.submitted_content_hash := content_hash;
      WHEN 'approved' THEN
        IF OLD.status <> 'pending_approval' THEN
          RAISE EXCEPTION 'only a submitted campaign can be approved' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND (NOT by_admin OR NEW.approved_by IS DISTINCT FROM (SELECT auth.uid())) THEN
          RAISE EXCEPTION 'only an admin approves a campaign, as themself' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.approved_content_hash IS DISTINCT FROM content_hash THEN
          RAISE EXCEPTION 'campaign_changed: the approved hash is not the campaign''s content' USING ERRCODE = 'check_violation';
        END IF;
      WHEN 'running' THEN
        IF OLD.status NOT IN ('approved', 'paused') THEN
          RAISE EXCEPTION 'only an approved or paused campaign can run' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND NOT by_admin THEN
          RAISE EXCEPTION 'only an admin launches or resumes a campaign' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.approved_content_hash IS DISTINCT FROM content_hash THEN
          RAISE EXCEPTION 'campaign_changed: the content is not the approved content' USING ERRCODE = 'check_violation';
        END IF;
      WHEN 'paused' THEN
        IF OLD.status <> 'running' THEN
          RAISE EXCEPTION 'only a running campaign can be paused' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND NOT by_admin THEN
          RAISE EXCEPTION 'only an admin pauses a campaign' USING ERRCODE = 'insufficient_privilege';
        END IF;
      WHEN 'stopped' THEN
        IF OLD.status NOT IN ('approved', 'running', 'paused') THEN
          RAISE EXCEPTION 'only a launched or approved campaign can be stopped' USING ERRCODE = 'check_violation';
        END IF;
        IF by_user AND NOT by_admin THEN
          RAISE EXCEPTION 'only an admin stops a campaign' USING ERRCODE = 'insufficient_privilege';
        END IF;
      WHEN 'completed' THEN
        IF OLD.status NOT IN ('running', 'paused') OR by_user THEN
          RAISE EXCEPTION 'a campaign completes when its last enrollment finishes' USING ERRCODE = 'check_violation';
        END IF;
    END CASE;
  ELSIF OLD.status = 'pending_approval' AND content_hash IS DISTINCT FROM OLD.submitted_content_hash THEN
    NEW.status := 'draft';
  ELSIF OLD.status IN ('approved', 'running', 'paused') AND content_hash IS DISTINCT FROM OLD.approved_content_hash THEN
    NEW.status := 'draft';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER campaigns_guard BEFORE UPDATE ON public.campaigns
  FOR EACH ROW EXECUTE FUNCTION private.campaign_guard();--> statement-breakpoint
CREATE TRIGGER campaigns_touch_updated_at BEFORE UPDATE ON public.campaigns
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint

-- A new campaign starts as a draft with nothing submitted or approved, whoever inserts it.
CREATE OR REPLACE FUNCTION private.campaign_starts_as_draft()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  IF NEW.status <> 'draft' OR NEW.approved_content_hash IS NOT NULL OR NEW.approval_id IS NOT NULL OR NEW.submitted_content_hash IS NOT NULL THEN
    RAISE EXCEPTION 'a campaign starts as a draft' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER campaigns_start_as_draft BEFORE INSERT ON public.campaigns
  FOR EACH ROW EXECUTE FUNCTION private.campaign_starts_as_draft();--> statement-breakpoint

-- A change to a step, a variant or the identity list re-checks the campaign's hash through the
-- guard (an update that changes nothing but the version). SECURITY DEFINER: the editor's RLS
-- already allowed the content change; the demotion must reach the campaign whoever made it.
CREATE OR REPLACE FUNCTION private.campaign_content_touched()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  UPDATE public.campaigns c SET updated_at = c.updated_at
  WHERE c.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.campaign_id ELSE NEW.campaign_id END
    AND c.status IN ('pending_approval', 'approved', 'running', 'paused');
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER campaign_steps_content_touched AFTER INSERT OR UPDATE OR DELETE ON public.campaign_steps
  FOR EACH ROW EXECUTE FUNCTION private.campaign_content_touched();--> statement-breakpoint
CREATE TRIGGER campaign_step_variants_content_touched AFTER INSERT OR UPDATE OR DELETE ON public.campaign_step_variants
  FOR EACH ROW EXECUTE FUNCTION private.campaign_content_touched();--> statement-breakpoint
CREATE TRIGGER campaign_identities_content_touched AFTER INSERT OR UPDATE OR DELETE ON public.campaign_identities
  FOR EACH ROW EXECUTE FUNCTION private.campaign_content_touched();--> statement-breakpoint

-- What an identity puts into an email is part of the content of every campaign using it.
CREATE OR REPLACE FUNCTION private.sending_identity_content_touched()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  UPDATE public.campaigns c SET updated_at = c.updated_at
  FROM public.campaign_identities ci
  WHERE ci.identity_id = NEW.id AND c.id = ci.campaign_id
    AND c.status IN ('pending_approval', 'approved', 'running', 'paused');
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER sending_identities_content_touched
  AFTER UPDATE OF from_name, from_email, reply_to, signature, postal_address ON public.sending_identities
  FOR EACH ROW WHEN ((OLD.from_name, OLD.from_email, OLD.reply_to, OLD.signature, OLD.postal_address)
    IS DISTINCT FROM (NEW.from_name, NEW.from_email, NEW.reply_to, NEW.signature, NEW.postal_address))
  EXECUTE FUNCTION private.sending_identity_content_touched();--> statement-breakpoint

CREATE TRIGGER sending_identities_touch_updated_at BEFORE UPDATE ON public.sending_identities
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint
CREATE TRIGGER campaign_enrollments_touch_updated_at BEFORE UPDATE ON public.campaign_enrollments
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint
CREATE TRIGGER notification_settings_touch_updated_at BEFORE UPDATE ON public.notification_settings
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint

REVOKE ALL ON FUNCTION private.campaign_content(public.campaigns), private.campaign_content_hash_of(public.campaigns),
  private.campaign_content_hash(uuid), private.campaign_guard(), private.campaign_starts_as_draft(),
  private.campaign_content_touched(), private.sending_identity_content_touched() FROM public;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION private.campaign_content(public.campaigns), private.campaign_content_hash_of(public.campaigns),
  private.campaign_content_hash(uuid), private.campaign_guard(), private.campaign_starts_as_draft()
  TO authenticated, service_role;--> statement-breakpoint

-- What users may change. Tenancy, authorship, the submitted hash (set by the guard) and the
-- jobs' columns are not theirs to write; enrollments, approvals and suppressions are never
-- updated by a person (approvals and suppressions are added or removed whole).
REVOKE UPDATE ON public.campaigns FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (
  name, status, audience, stop_on_reply, plain_text_only, submitted_at, submitted_by,
  approval_id, approved_content_hash, approved_at, approved_by, launched_at
) ON public.campaigns TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.campaign_steps FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (position, delay_days, delay_hours, business_days) ON public.campaign_steps TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.campaign_step_variants FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (label, weight, subject, body) ON public.campaign_step_variants TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.campaign_identities, public.campaign_enrollments, public.campaign_approvals, public.suppressions
  FROM anon, authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.sending_identities FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (
  from_name, from_email, reply_to, daily_cap, send_days, send_from_minute, send_until_minute, time_zone,
  postal_address, signature, archived_at
) ON public.sending_identities TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.notifications FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (read_at) ON public.notifications TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.notification_settings FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (email_enabled) ON public.notification_settings TO authenticated;
