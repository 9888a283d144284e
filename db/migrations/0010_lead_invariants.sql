-- Invariants of leads and companies that hold whoever writes (user under RLS, job, webhook).

-- A lead points only at a company and an owner of its own workspace. Deleting the company,
-- or removing the member, leaves the lead in place without them (SET NULL of that column only).
ALTER TABLE public.leads ADD CONSTRAINT leads_company_fkey
  FOREIGN KEY (workspace_id, company_id) REFERENCES public.companies (workspace_id, id)
  ON DELETE SET NULL (company_id);--> statement-breakpoint
ALTER TABLE public.leads ADD CONSTRAINT leads_owner_fkey
  FOREIGN KEY (workspace_id, owner_id) REFERENCES public.workspace_members (workspace_id, user_id)
  ON DELETE SET NULL (owner_id);--> statement-breakpoint

-- leads.company_name is a copy of the linked company's name (for sorting and search without a
-- join): derived on every write of the lead, whatever the writer put there, and rewritten when
-- the company is renamed. SECURITY DEFINER so a rename reaches leads the renaming user could
-- not update under RLS (another rep's).
CREATE OR REPLACE FUNCTION private.lead_company_name()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF NEW.company_id IS NULL THEN
    NEW.company_name := NULL;
  ELSIF TG_OP = 'INSERT' OR NEW.company_id IS DISTINCT FROM OLD.company_id OR NEW.company_name IS DISTINCT FROM OLD.company_name THEN
    NEW.company_name := (SELECT c.name FROM public.companies c WHERE c.id = NEW.company_id);
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER leads_company_name BEFORE INSERT OR UPDATE ON public.leads
  FOR EACH ROW EXECUTE FUNCTION private.lead_company_name();--> statement-breakpoint

CREATE OR REPLACE FUNCTION private.company_renamed()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  UPDATE public.leads l SET company_name = NEW.name
  WHERE l.workspace_id = NEW.workspace_id AND l.company_id = NEW.id AND l.company_name IS DISTINCT FROM NEW.name;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER companies_renamed AFTER UPDATE OF name ON public.companies
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION private.company_renamed();--> statement-breakpoint

-- updated_at is the version checked by optimistic concurrency: it moves forward on every
-- update a person or job makes, strictly (two updates in one millisecond still differ). The
-- leads trigger lists the columns whose change is an edit, so the timeline trigger below
-- (last_activity_at only) does not make an open edit form stale.
CREATE OR REPLACE FUNCTION private.touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql SET search_path = ''
AS $$
BEGIN
  NEW.updated_at := greatest(clock_timestamp(), OLD.updated_at + interval '1 microsecond');
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER leads_touch_updated_at BEFORE UPDATE OF
  first_name, last_name, email, email_status, email_verified_at, title, seniority, department, phone,
  linkedin_url, city, country, time_zone, company_id, owner_id, status, score, source, tags,
  custom_fields, enrichment, apollo_person_id, instantly_lead_id, deleted_at, deleted_by
  ON public.leads FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint
CREATE TRIGGER companies_touch_updated_at BEFORE UPDATE ON public.companies
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint
CREATE TRIGGER saved_views_touch_updated_at BEFORE UPDATE ON public.saved_views
  FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint

-- A timeline entry moves its lead's last_activity_at forward. Once per statement (a bulk
-- action inserts thousands of entries in one), and only where it is later than what is there.
CREATE OR REPLACE FUNCTION private.activities_touch_leads()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  UPDATE public.leads l SET last_activity_at = a.latest
  FROM (SELECT n.workspace_id, n.lead_id, max(n.created_at) AS latest FROM new_rows n GROUP BY 1, 2) a
  WHERE l.workspace_id = a.workspace_id AND l.id = a.lead_id
    AND (l.last_activity_at IS NULL OR l.last_activity_at < a.latest);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER lead_activities_touch_leads AFTER INSERT ON public.lead_activities
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.activities_touch_leads();--> statement-breakpoint

REVOKE ALL ON FUNCTION private.lead_company_name(), private.company_renamed(), private.touch_updated_at(),
  private.activities_touch_leads() FROM public;--> statement-breakpoint

-- What users may change. Identity, tenancy, provenance and the derived columns are not theirs
-- to write: a lead never moves to another workspace, even for a member of both.
REVOKE UPDATE ON public.leads FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (
  first_name, last_name, email, email_status, email_verified_at, title, seniority, department, phone,
  linkedin_url, city, country, time_zone, company_id, owner_id, status, score, tags,
  custom_fields, enrichment, apollo_person_id, instantly_lead_id, deleted_at, deleted_by
) ON public.leads TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.companies FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (
  name, domain, website, linkedin_url, industry, employee_count, annual_revenue, country, city,
  description, enrichment, apollo_organization_id
) ON public.companies TO authenticated;--> statement-breakpoint
REVOKE UPDATE ON public.saved_views FROM anon, authenticated;--> statement-breakpoint
GRANT UPDATE (name, shared, state) ON public.saved_views TO authenticated;
