import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { withServiceTx } from "@/db";
import { replyClassifications } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordActivities } from "@/lib/leads/activities";
import { createLead } from "@/lib/leads/create-lead";
import { DuplicateLeadError } from "@/lib/leads/find-duplicate-lead";
import type { LeadActor } from "@/lib/leads/lock-lead";
import { ZLeadFields } from "@/lib/leads/schemas";
import { loadReadingForEdit } from "./undo-reply-action";

/**
 * A rep accepts a referral ("talk to X"): X becomes a lead of the workspace owned by the rep,
 * with the name, email and title the reply gave and the company of the lead who replied, and
 * both timelines say who referred whom. An address the workspace already holds (any case) is
 * not added twice: the reply is linked to that lead instead.
 */
export async function addReferredLead(ref: {
  workspaceId: string;
  actor: LeadActor;
  classificationId: string;
}): Promise<{ leadId: string; existed: boolean }> {
  return withServiceTx(async (tx) => {
    const row = await loadReadingForEdit(tx, ref);
    if (row.category !== "wrong_person" || !row.referral || row.action?.kind !== "referral_offered") {
      throw new AppError("conflict", "This reply does not point to another person.");
    }
    if (row.undoneAt) throw new AppError("conflict", "This referral was dismissed.");
    if (row.referredLeadId) return { leadId: row.referredLeadId, existed: true };
    const { name, email, title } = row.referral;
    const [firstName, ...rest] = (name ?? "").trim().split(/\s+/);
    const fields = ZLeadFields.safeParse({
      firstName: firstName ?? "",
      lastName: rest.join(" "),
      email: email ?? "",
      title: title ?? "",
    });
    if (!fields.success) throw new AppError("invalid_input", "The referred person's details cannot make a lead: add them by hand instead.");
    let leadId: string;
    let existed = false;
    try {
      ({ leadId } = await createLead(tx, { workspaceId: ref.workspaceId, actor: ref.actor, fields: fields.data }));
      // The same company as the person who referred them.
      await tx.execute(sql`update public.leads set company_id = ${row.companyId}, company_name = ${row.companyName}
        where id = ${leadId} and workspace_id = ${ref.workspaceId} and company_id is null`);
    } catch (error) {
      if (!(error instanceof DuplicateLeadError) || error.duplicate.deletedAt) throw error;
      leadId = error.duplicate.leadId;
      existed = true;
    }
    await tx
      .update(replyClassifications)
      .set({ referredLeadId: leadId })
      .where(and(eq(replyClassifications.id, ref.classificationId), eq(replyClassifications.workspaceId, ref.workspaceId)));
    await recordActivities(tx, [
      {
        workspaceId: ref.workspaceId,
        leadId: row.leadId,
        type: "referral_added",
        actorId: ref.actor.userId,
        payload: { classificationId: ref.classificationId, referredLeadId: leadId },
      },
      {
        workspaceId: ref.workspaceId,
        leadId,
        type: "referral_added",
        actorId: ref.actor.userId,
        payload: { classificationId: ref.classificationId, referredByLeadId: row.leadId },
      },
    ]);
    return { leadId, existed };
  });
}
