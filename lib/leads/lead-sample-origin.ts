import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { leadActivities, type LeadSampleData } from "@/db/schema";

export type LeadSampleOrigin = {
  /** The vendor whose sandbox served it, as a lead source (`apollo`, `phantombuster`). */
  source: string;
  /** The lead itself came from a sandbox import: it is sample data, not only some of its values. */
  created: boolean;
  /** What wrote the sample values: an import from the sandbox, or an Apollo enrichment run against it. */
  via: "import" | "enrichment";
};

/**
 * Where a lead's sample data came from, as the lead's `sample_data` says (the mark the leads
 * table shows, set when a sandbox import or enrichment wrote it): null for a lead no sandbox
 * touched. A lead a sandbox import created comes from its own source; for sample values, the
 * source of the newest sandbox import that wrote some, as its "imported" timeline entry
 * recorded, else Apollo's enrichment. Read from the lead and its timeline, which every member
 * of the workspace reads (imports themselves are not shown to viewers).
 */
export async function leadSampleOrigin(
  tx: Database,
  { workspaceId, lead }: { workspaceId: string; lead: { id: string; source: string; sampleData: LeadSampleData | null } },
): Promise<LeadSampleOrigin | null> {
  if (lead.sampleData === null) return null;
  if (lead.sampleData === "lead") return { source: lead.source, created: true, via: "import" };
  const [newest] = await tx
    .select({ source: sql<string>`${leadActivities.payload}->>'source'` })
    .from(leadActivities)
    .where(
      and(
        eq(leadActivities.workspaceId, workspaceId),
        eq(leadActivities.leadId, lead.id),
        eq(leadActivities.type, "imported"),
        sql`${leadActivities.payload}->'sandbox' = 'true'::jsonb`,
      ),
    )
    .orderBy(desc(leadActivities.createdAt))
    .limit(1);
  return newest ? { source: newest.source, created: false, via: "import" } : { source: "apollo", created: false, via: "enrichment" };
}
