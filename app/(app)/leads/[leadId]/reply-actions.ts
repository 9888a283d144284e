"use server";
import { z } from "zod";
import { defineAction } from "@/app/_server/action";
import { addReferredLead } from "@/lib/ai/replies/add-referred-lead";
import { undoReplyAction } from "@/lib/ai/replies/undo-reply-action";

const LEADS_PATH = "/leads";
const ZReading = z.object({ classificationId: z.uuid("That reply is not valid. Reload the page.") });

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
