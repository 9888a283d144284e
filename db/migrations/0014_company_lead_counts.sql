-- companies.lead_count: how many live (not deleted) leads link to each company, so the company
-- list sorts and pages by it through an index instead of counting leads on every request.
-- Statement triggers with transition tables: an import or bulk action of many rows costs one
-- grouped pass and one update per company touched, not a function call per lead. Companies
-- are locked in id order first, so two bulk statements touching the same companies queue
-- instead of deadlocking.
CREATE OR REPLACE FUNCTION private.leads_count_companies()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
DECLARE
  ids uuid[];
  deltas integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
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
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.leads_count_companies() FROM public;--> statement-breakpoint
CREATE TRIGGER leads_count_companies_insert AFTER INSERT ON public.leads
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.leads_count_companies();--> statement-breakpoint
CREATE TRIGGER leads_count_companies_update AFTER UPDATE ON public.leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.leads_count_companies();--> statement-breakpoint
CREATE TRIGGER leads_count_companies_delete AFTER DELETE ON public.leads
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.leads_count_companies();--> statement-breakpoint

-- A company's updated_at is its edit version: a lead joining or leaving it is not an edit of
-- the company, so only the editable columns move it.
DROP TRIGGER companies_touch_updated_at ON public.companies;--> statement-breakpoint
CREATE TRIGGER companies_touch_updated_at BEFORE UPDATE OF
  name, domain, website, linkedin_url, industry, employee_count, annual_revenue, country, city,
  description, enrichment, apollo_organization_id
  ON public.companies FOR EACH ROW EXECUTE FUNCTION private.touch_updated_at();--> statement-breakpoint

-- The leads already there.
UPDATE public.companies c SET lead_count = x.n
FROM (SELECT company_id, count(*)::integer AS n FROM public.leads
      WHERE company_id IS NOT NULL AND deleted_at IS NULL GROUP BY company_id) x
WHERE c.id = x.company_id;
