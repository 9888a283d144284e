import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { templateValuesOf } from "./template-values";
import type { TemplateValues } from "./variables";

export type TemplateLeadRow = {
  id: string;
  /** How the lead is named in a picker or a problem list. */
  name: string;
  email: string | null;
  values: TemplateValues;
};

/** At most this many leads per call: the preview, the review's samples and pre-flight's lists. */
export const MAX_TEMPLATE_LEADS = 1_000;

/**
 * The template values of the workspace's live leads among `leadIds` (in the caller's RLS
 * transaction), in the order asked; ids of another workspace or deleted leads are left out.
 */
export async function loadTemplateLeads(
  tx: Executor,
  { workspaceId, leadIds }: { workspaceId: string; leadIds: readonly string[] },
): Promise<TemplateLeadRow[]> {
  const ids = [...new Set(leadIds)].slice(0, MAX_TEMPLATE_LEADS);
  if (ids.length === 0) return [];
  const rows = await tx
    .select({
      id: leads.id,
      firstName: leads.firstName,
      lastName: leads.lastName,
      email: leads.email,
      title: leads.title,
      seniority: leads.seniority,
      department: leads.department,
      companyName: leads.companyName,
      city: leads.city,
      country: leads.country,
      customFields: leads.customFields,
      enrichment: leads.enrichment,
    })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), isNull(leads.deletedAt), inArray(leads.id, ids)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const name = [row.firstName, row.lastName].filter((p) => p?.trim()).join(" ") || row.email || "Unnamed lead";
    return [{ id: row.id, name, email: row.email, values: templateValuesOf(row) }];
  });
}
