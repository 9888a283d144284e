"use server";
import { defineAction } from "@/app/_server/action";
import { createLead as addLead } from "@/lib/leads/create-lead";
import { DuplicateLeadError, type DuplicateLead } from "@/lib/leads/find-duplicate-lead";
import { ZCreateLead } from "@/lib/leads/schemas";

type CreateLeadResult = { created: true; leadId: string } | { created: false; duplicate: DuplicateLead; message: string };

/**
 * A duplicate is an answer, not a failure: the form links to the existing lead (or says how to
 * restore it), so it comes back as data. Nothing was written.
 */
export const createLead = defineAction({
  name: "createLead",
  schema: ZCreateLead,
  auth: "leads.create",
  handler: async ({ session, tx }, fields): Promise<CreateLeadResult> => {
    try {
      const { leadId } = await addLead(tx, {
        workspaceId: session.current.workspaceId,
        actor: { userId: session.userId, role: session.current.role },
        fields,
      });
      return { created: true, leadId };
    } catch (error) {
      if (error instanceof DuplicateLeadError) return { created: false, duplicate: error.duplicate, message: error.message };
      throw error;
    }
  },
  revalidate: ["/leads"],
});
