import "server-only";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { forbidden } from "@/lib/errors";
import { sqlStateOf } from "@/db/sql-state";
import { recordActivities } from "./activities";
import { companyIdForEmail } from "./company-for-email";
import { DuplicateLeadError, findDuplicateLead } from "./find-duplicate-lead";
import type { LeadActor } from "./lock-lead";
import { companyForLead, type LeadCompanyChoice } from "./lead-company";
import type { LeadFields } from "./schemas";

type Input = { workspaceId: string; actor: LeadActor; fields: LeadFields & LeadCompanyChoice };

/**
 * A lead entered by hand. The person who adds it owns it; it joins the company they chose (or
 * named, added then), else the workspace's company whose domain is the email's. A second lead
 * with the same email (any case or spacing) or LinkedIn profile is refused with the existing
 * lead named (DuplicateLeadError), deleted leads included: those are restored, not re-added.
 */
export async function createLead(tx: Executor, { workspaceId, actor, fields }: Input): Promise<{ leadId: string }> {
  if (!can(actor.role, "leads.create")) throw forbidden("Your role can read leads but not add them.");
  const identity = { workspaceId, email: fields.email, linkedinUrl: fields.linkedinUrl };
  const duplicate = await findDuplicateLead(tx, identity);
  if (duplicate) throw new DuplicateLeadError(duplicate);

  const { companyId: chosenId, newCompanyName, ...values } = fields;
  const choice = { companyId: chosenId, newCompanyName };

  let leadId: string;
  try {
    // A savepoint: when a concurrent request added the same person first, the unique index
    // refuses this insert and the transaction can still look up and name that lead (the
    // company named for it is rolled back with it).
    leadId = await tx.transaction(async (sp) => {
      const chosen =
        chosenId || newCompanyName !== undefined ? await companyForLead(sp as unknown as Executor, workspaceId, actor, choice) : null;
      const companyId = chosen?.id ?? (await companyIdForEmail(sp as unknown as Executor, workspaceId, fields.email));
      const [row] = await sp
        .insert(leads)
        .values({
          workspaceId,
          ...values,
          companyId,
          ownerId: actor.userId,
          source: "manual",
          createdBy: actor.userId,
        })
        .returning({ id: leads.id });
      return row!.id;
    });
  } catch (error) {
    if (sqlStateOf(error) !== "23505") throw error;
    const raced = await findDuplicateLead(tx, identity);
    if (raced) throw new DuplicateLeadError(raced);
    throw error;
  }
  await recordActivities(tx, [{ workspaceId, leadId, type: "created", actorId: actor.userId, payload: { source: "manual" } }]);
  return { leadId };
}
