import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { leadActivities } from "@/db/schema";

/**
 * Where a lead's sample data came from: the source (`apollo`, `phantombuster`) of the newest
 * import from a vendor's sandbox that wrote it, as its "imported" timeline entry recorded when
 * the import ran; null when no sandbox import touched it. `created` says whether that sandbox
 * import is also where the lead comes from (its source is the lead's own): then the whole
 * lead is sample data, not only some of its values. Read from the timeline, which every
 * member of the workspace reads (imports themselves are not shown to viewers).
 */
export async function leadSampleOrigin(
  tx: Database,
  { workspaceId, leadId, leadSource }: { workspaceId: string; leadId: string; leadSource: string },
): Promise<{ source: string; created: boolean } | null> {
  const rows = await tx
    .select({ source: sql<string>`${leadActivities.payload}->>'source'` })
    .from(leadActivities)
    .where(
      and(
        eq(leadActivities.workspaceId, workspaceId),
        eq(leadActivities.leadId, leadId),
        eq(leadActivities.type, "imported"),
        sql`${leadActivities.payload}->'sandbox' = 'true'::jsonb`,
      ),
    )
    .orderBy(desc(leadActivities.createdAt))
    .limit(20);
  if (rows.length === 0) return null;
  const own = rows.find((r) => r.source === leadSource);
  return own ? { source: own.source, created: true } : { source: rows[0]!.source, created: false };
}
