CREATE TABLE "analytics_lead_status_days" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"status" "lead_status" NOT NULL,
	"net" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_lead_status_days_key" UNIQUE("workspace_id","day","status")
);
--> statement-breakpoint
ALTER TABLE "analytics_lead_status_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_lead_status_days" ADD CONSTRAINT "analytics_lead_status_days_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "analytics_lead_status_days_analysts_select" ON "analytics_lead_status_days" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_lead_status_days"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));--> statement-breakpoint
-- analytics_lead_status_days is analytics_lead_days summed over owner and source: the pipeline
-- without an owner or source filter reads its whole UTC days here (up to 8 rows a day) instead
-- of 96 quarter-hour rows per status. It follows analytics_lead_days statement by statement, whatever
-- writes that table (the lead triggers of 0055 through private.analytics_lead_upsert_sql), so
-- it stays that table's exact sum. A workspace being deleted takes its rows with it (the
-- cascade): nothing is added for a workspace that is gone, as the other rollups do.
CREATE OR REPLACE FUNCTION private.analytics_count_lead_status_days()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.analytics_lead_status_days AS a (workspace_id, day, status, net, created)
    SELECT c.workspace_id, c.day, c.status, sum(c.net)::integer, sum(c.created)::integer
    FROM (SELECT n.workspace_id, n.day, n.status, n.net, n.created FROM new_rows n) c
    WHERE EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = c.workspace_id)
    GROUP BY 1, 2, 3
    HAVING sum(c.net) <> 0 OR sum(c.created) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT analytics_lead_status_days_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO public.analytics_lead_status_days AS a (workspace_id, day, status, net, created)
    SELECT c.workspace_id, c.day, c.status, sum(c.net)::integer, sum(c.created)::integer
    FROM (SELECT o.workspace_id, o.day, o.status, -o.net AS net, -o.created AS created FROM old_rows o) c
    WHERE EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = c.workspace_id)
    GROUP BY 1, 2, 3
    HAVING sum(c.net) <> 0 OR sum(c.created) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT analytics_lead_status_days_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created;
  ELSE
    INSERT INTO public.analytics_lead_status_days AS a (workspace_id, day, status, net, created)
    SELECT c.workspace_id, c.day, c.status, sum(c.net)::integer, sum(c.created)::integer
    FROM (SELECT n.workspace_id, n.day, n.status, n.net, n.created FROM new_rows n
          UNION ALL SELECT o.workspace_id, o.day, o.status, -o.net AS net, -o.created AS created FROM old_rows o) c
    WHERE EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = c.workspace_id)
    GROUP BY 1, 2, 3
    HAVING sum(c.net) <> 0 OR sum(c.created) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT analytics_lead_status_days_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_count_lead_status_days() FROM public;--> statement-breakpoint
CREATE TRIGGER analytics_count_lead_status_days_insert AFTER INSERT ON public.analytics_lead_days
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_lead_status_days();--> statement-breakpoint
CREATE TRIGGER analytics_count_lead_status_days_update AFTER UPDATE ON public.analytics_lead_days
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_lead_status_days();--> statement-breakpoint
CREATE TRIGGER analytics_count_lead_status_days_delete AFTER DELETE ON public.analytics_lead_days
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION private.analytics_count_lead_status_days();--> statement-breakpoint
-- The data already there (the triggers above hold analytics_lead_days' writers back until this commits).
INSERT INTO public.analytics_lead_status_days (workspace_id, day, status, net, created)
SELECT d.workspace_id, d.day, d.status, sum(d.net)::integer, sum(d.created)::integer
FROM public.analytics_lead_days d GROUP BY 1, 2, 3
HAVING sum(d.net) <> 0 OR sum(d.created) <> 0;--> statement-breakpoint
ANALYZE public.analytics_lead_status_days;
