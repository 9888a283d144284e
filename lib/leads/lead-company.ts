import "server-only";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { companies } from "@/db/schema";
import { createCompany } from "@/lib/companies/save-company";
import { AppError } from "@/lib/errors";
import type { LeadActor } from "./lock-lead";

/** The company a person chose for a lead in a form: one of the workspace's, or a new one by name. */
export type LeadCompanyChoice = { companyId?: string | null; newCompanyName?: string };

/**
 * The company a lead form's choice names, checked: a new name is added to the workspace (with no
 * domain: the person knows only its name), an id must be a company of this workspace (another
 * workspace's, or one deleted meanwhile, is refused on the field), null is none.
 */
export async function companyForLead(
  tx: Executor,
  workspaceId: string,
  actor: LeadActor,
  { companyId, newCompanyName }: LeadCompanyChoice,
): Promise<{ id: string; name: string } | null> {
  if (newCompanyName !== undefined) {
    const fields = {
      name: newCompanyName,
      domain: null,
      website: null,
      linkedinUrl: null,
      industry: null,
      country: null,
      city: null,
      description: null,
    };
    const created = await createCompany(tx, { workspaceId, actor, fields });
    return { id: created.companyId, name: newCompanyName };
  }
  if (!companyId) return null;
  const [company] = await tx
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(and(eq(companies.id, companyId), eq(companies.workspaceId, workspaceId)));
  if (!company) {
    const message = "That company is not in this workspace (any more). Choose one from the list.";
    throw new AppError("invalid_input", message, { companyId: [message] });
  }
  return company;
}
