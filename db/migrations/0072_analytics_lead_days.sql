CREATE TABLE "analytics_lead_days" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"owner_id" uuid,
	"source" "lead_source" NOT NULL,
	"status" "lead_status" NOT NULL,
	"net" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_lead_days_key" UNIQUE NULLS NOT DISTINCT("workspace_id","day","owner_id","source","status")
);
--> statement-breakpoint
ALTER TABLE "analytics_lead_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "analytics_lead_status_hours" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"status" "lead_status" NOT NULL,
	"net" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_lead_status_hours_key" UNIQUE("workspace_id","hour","status")
);
--> statement-breakpoint
ALTER TABLE "analytics_lead_status_hours" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "analytics_lead_days" ADD CONSTRAINT "analytics_lead_days_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_lead_status_hours" ADD CONSTRAINT "analytics_lead_status_hours_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "analytics_lead_days_analysts_select" ON "analytics_lead_days" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_lead_days"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "analytics_lead_status_hours_analysts_select" ON "analytics_lead_status_hours" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("analytics_lead_status_hours"."workspace_id" = any ((select private.workspace_ids_with_role(array['admin','manager','sales_rep','analyst']::text[]))::uuid[]));--> statement-breakpoint
-- analytics_lead_days and analytics_lead_status_hours move with analytics_lead_hours: what a
-- statement's rows contribute is summed once at the hourly grain (g), which goes to
-- analytics_lead_hours as before, and g summed again per day, and per hour and status, goes to
-- the new tables, in the same statement. The triggers of 0055 call this function, unchanged.
CREATE OR REPLACE FUNCTION private.analytics_lead_upsert_sql(rows_sql text)
RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = ''
AS $fn$
  SELECT format($q$
    WITH g AS MATERIALIZED (
      SELECT x.* FROM (
        SELECT c.workspace_id, c.hour, c.owner_id, c.source, c.status,
               coalesce(sum(c.sign) FILTER (WHERE c.kind = 'net'), 0)::integer AS net,
               coalesce(sum(c.sign) FILTER (WHERE c.kind = 'created'), 0)::integer AS created
        FROM (
          SELECT r.sign, r.workspace_id, date_trunc('hour', k.at, 'UTC') AS hour, r.owner_id, r.source, r.status, k.kind
          FROM (%s) r
          CROSS JOIN LATERAL (VALUES ('net', r.net_at), ('created', r.created_at)) AS k(kind, at)
          WHERE r.deleted_at IS NULL
            AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = r.workspace_id)
        ) c
        GROUP BY c.workspace_id, c.hour, c.owner_id, c.source, c.status
      ) x
      WHERE x.net <> 0 OR x.created <> 0
    ),
    hours AS (
      INSERT INTO public.analytics_lead_hours AS a (workspace_id, hour, owner_id, source, status, net, created)
      SELECT g.* FROM g
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT analytics_lead_hours_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created
    ),
    days AS (
      INSERT INTO public.analytics_lead_days AS a (workspace_id, day, owner_id, source, status, net, created)
      SELECT g.workspace_id, date_trunc('day', g.hour, 'UTC'), g.owner_id, g.source, g.status, sum(g.net)::integer, sum(g.created)::integer
      FROM g GROUP BY 1, 2, 3, 4, 5
      HAVING sum(g.net) <> 0 OR sum(g.created) <> 0
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT analytics_lead_days_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created
    ),
    statuses AS (
      INSERT INTO public.analytics_lead_status_hours AS a (workspace_id, hour, status, net, created)
      SELECT g.workspace_id, g.hour, g.status, sum(g.net)::integer, sum(g.created)::integer
      FROM g GROUP BY 1, 2, 3
      HAVING sum(g.net) <> 0 OR sum(g.created) <> 0
      ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT analytics_lead_status_hours_key DO UPDATE SET net = a.net + excluded.net, created = a.created + excluded.created
    )
    SELECT 1
  $q$, rows_sql)
$fn$;--> statement-breakpoint
REVOKE ALL ON FUNCTION private.analytics_lead_upsert_sql(text) FROM public;--> statement-breakpoint

-- The data already there, summed from analytics_lead_hours.
INSERT INTO public.analytics_lead_days (workspace_id, day, owner_id, source, status, net, created)
SELECT h.workspace_id, date_trunc('day', h.hour, 'UTC'), h.owner_id, h.source, h.status, sum(h.net)::integer, sum(h.created)::integer
FROM public.analytics_lead_hours h GROUP BY 1, 2, 3, 4, 5
HAVING sum(h.net) <> 0 OR sum(h.created) <> 0;--> statement-breakpoint
INSERT INTO public.analytics_lead_status_hours (workspace_id, hour, status, net, created)
SELECT h.workspace_id, h.hour, h.status, sum(h.net)::integer, sum(h.created)::integer
FROM public.analytics_lead_hours h GROUP BY 1, 2, 3
HAVING sum(h.net) <> 0 OR sum(h.created) <> 0;--> statement-breakpoint
-- Statistics now, so that the page's first reads are planned with them.
ANALYZE public.analytics_lead_days;--> statement-breakpoint
ANALYZE public.analytics_lead_status_hours;
