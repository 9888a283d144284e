-- A company's count of live leads moves from companies.lead_count to a table of its own. The
-- count is indexed for the list's sort by leads, so every change of it wrote a new version of
-- the company row into all nine of the companies' indexes, the trigram search index among
-- them: an import batch of 10,000 rows changes the counts of about 5,000 companies, 350 ms of
-- its time (bench:import; 5,000 count updates took 440 ms on companies and 48 ms here).
CREATE TABLE "company_lead_counts" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"lead_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "company_lead_counts_nonnegative" CHECK ("company_lead_counts"."lead_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "company_lead_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "company_lead_counts" ADD CONSTRAINT "company_lead_counts_company_fkey" FOREIGN KEY ("workspace_id","company_id") REFERENCES "public"."companies"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "company_lead_counts_sort_idx" ON "company_lead_counts" USING btree ("workspace_id","lead_count","company_id");--> statement-breakpoint
CREATE POLICY "company_lead_counts_members_select" ON "company_lead_counts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("company_lead_counts"."workspace_id" = any ((select private.member_workspace_ids())::uuid[]));--> statement-breakpoint
-- Written by the triggers below and an import batch (service role) only: no policy lets a user
-- insert, update or delete a row, as for the analytics rollups.
INSERT INTO public.company_lead_counts (company_id, workspace_id, lead_count)
SELECT id, workspace_id, lead_count FROM public.companies;--> statement-breakpoint
ANALYZE public.company_lead_counts;--> statement-breakpoint

-- Every company has its row, a new one counting nothing yet: the sort by leads walks the
-- counts' index, so a company without a row would be missing from that sort.
CREATE OR REPLACE FUNCTION private.companies_add_lead_count()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.company_lead_counts (company_id, workspace_id)
  SELECT n.id, n.workspace_id FROM new_rows n ORDER BY n.id
  ON CONFLICT (company_id) DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.companies_add_lead_count() FROM public;--> statement-breakpoint
CREATE TRIGGER companies_add_lead_count AFTER INSERT ON public.companies
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.companies_add_lead_count();--> statement-breakpoint

-- As in 0079, on the counts' table. A statement that creates a company and links leads to it
-- may run this before the trigger above has made the company's row: the row is then inserted
-- here, and that trigger leaves it. Rows are locked in company id order, so two statements
-- touching the same companies queue instead of deadlocking.
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
  PERFORM 1 FROM public.company_lead_counts k WHERE k.company_id = ANY (ids) ORDER BY k.company_id FOR UPDATE;
  UPDATE public.company_lead_counts k SET lead_count = k.lead_count + d.n
  FROM unnest(ids, deltas) AS d(id, n)
  WHERE k.company_id = d.id;
  -- A company without its row yet (made by this statement); a deleted one (its leads' company_id
  -- set null by the foreign key) has none left to change.
  INSERT INTO public.company_lead_counts AS k (company_id, workspace_id, lead_count)
  SELECT c.id, c.workspace_id, d.n
  FROM unnest(ids, deltas) AS d(id, n) JOIN public.companies c ON c.id = d.id
  WHERE NOT EXISTS (SELECT 1 FROM public.company_lead_counts x WHERE x.company_id = d.id)
  ORDER BY c.id
  ON CONFLICT (company_id) DO UPDATE SET lead_count = k.lead_count + excluded.lead_count;
  RETURN NULL;
END;
$$;--> statement-breakpoint

ALTER TABLE "companies" DROP CONSTRAINT "companies_lead_count_nonnegative";--> statement-breakpoint
DROP INDEX "companies_workspace_lead_count_idx";--> statement-breakpoint
ALTER TABLE "companies" DROP COLUMN "lead_count";
