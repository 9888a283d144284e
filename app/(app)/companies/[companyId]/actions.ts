"use server";
import { defineAction } from "@/app/_server/action";
import { updateCompany } from "@/lib/companies/save-company";
import { ZUpdateCompanyForm } from "@/lib/companies/schemas";

/**
 * The company page's edit form. Those who add leads edit companies (the service's check, and the
 * companies RLS policies after it). The leads table and lead pages show the company's name too.
 */
export const updateCompanyDetails = defineAction({
  name: "updateCompanyDetails",
  schema: ZUpdateCompanyForm,
  auth: "leads.create",
  handler: async ({ session, tx }, { companyId, ...fields }) => {
    await updateCompany(tx, {
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      companyId,
      fields,
    });
    return { changed: Object.keys(fields) };
  },
  revalidate: ["/companies", "/leads"],
});
