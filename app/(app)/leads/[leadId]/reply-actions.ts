"use server";
import { z } from "zod";
import { defineAction } from "@/app/_server/action";
import { addReferredLead } from "@/lib/ai/replies/add-referred-lead";
import { readReplyByHand } from "@/lib/ai/replies/read-reply-by-hand";
import { ZClassificationId, ZHandReading } from "@/lib/ai/replies/hand-reading-schema";
import { undoReplyAction } from "@/lib/ai/replies/undo-reply-action";

const LEADS_PATH = "/leads";
const ZReading = z.object({ classificationId: ZClassificationId });

// A lead editor's role; the service checks this lead may be edited by them (canEditLead) and
// acts on the service connection (enrollments, suppressions), scoped by the session's workspace.

/** Undo what a reply's reading did (the lead's status, the enrollment's next step, the unsubscribe, the referral offer). */
export const undoReplyReading = defineAction({
  name: "undoReplyReading",
  schema: ZReading,
  auth: "leads.edit_own",
  handler: ({ session }, { classificationId }) =>
    undoReplyAction({
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      classificationId,
    }),
  revalidate: [LEADS_PATH],
});

/** Add the person a reply pointed to as a lead (or link the one the workspace already has). */
export const addReferredLeadFromReply = defineAction({
  name: "addReferredLeadFromReply",
  schema: ZReading,
  auth: "leads.create",
  handler: ({ session }, { classificationId }) =>
    addReferredLead({
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      classificationId,
    }),
  revalidate: [LEADS_PATH],
});

/** Read a reply yourself (no model, a failed reading, or one you disagree with whose action was undone): it acts as the model's would. */
export const readReply = defineAction({
  name: "readReply",
  schema: ZHandReading,
  auth: "leads.edit_own",
  handler: ({ session }, { classificationId, category, returnDate, referralName, referralEmail }) =>
    readReplyByHand(
      {
        workspaceId: session.current.workspaceId,
        actor: { userId: session.userId, role: session.current.role },
        classificationId,
      },
      { category, returnDate, referral: { name: referralName, email: referralEmail, title: null } },
    ),
  revalidate: [LEADS_PATH],
});
