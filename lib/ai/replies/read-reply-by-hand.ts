import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { withServiceTx } from "@/db";
import { replyClassifications } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordActivities } from "@/lib/leads/activities";
import type { LeadActor } from "@/lib/leads/lock-lead";
import { applyReplyAction, readingActivityPayload } from "./apply-reply-action";
import { REPLY_ACTION_LABELS, type ReplyAction, type ReplyCategory, type ReplyReferral } from "./reply-categories";
import { loadReadingForEdit } from "./undo-reply-action";

/** What a person decided a reply says: a return date belongs to an absence, a referred person to a wrong person. */
export type HandReading = {
  category: ReplyCategory;
  /** YYYY-MM-DD, out of office only. */
  returnDate?: string | null;
  referral?: ReplyReferral | null;
};

/**
 * A lead editor reads a reply themselves: when no model is configured, when the model failed,
 * or in place of a reading they disagree with. The reading then does what the model's would
 * have done, by the same rules and to the same lead and enrollment (applyReplyAction), and is
 * recorded as theirs (classified_by, the timeline). A reading whose action still stands must be
 * undone first, so that a change never stacks a second action on the first one (a lead made
 * interested and then delayed, a referral offered twice); the model's suggested answer goes
 * with the reading it was written for. A classification job that runs later finds the reply read
 * and leaves it.
 */
export async function readReplyByHand(
  ref: { workspaceId: string; actor: LeadActor; classificationId: string },
  hand: HandReading,
): Promise<{ category: ReplyCategory; action: ReplyAction["kind"] | null }> {
  return withServiceTx(async (tx) => {
    const row = await loadReadingForEdit(tx, ref);
    if (row.action && !row.undoneAt) {
      throw new AppError(
        "conflict",
        `This reply's reading already did something (${REPLY_ACTION_LABELS[row.action.kind].toLowerCase()}): undo it first, then read the reply again.`,
      );
    }
    const reading = {
      category: hand.category,
      returnDate: hand.category === "out_of_office" ? (hand.returnDate ?? null) : null,
      referral: hand.category === "wrong_person" && hand.referral && (hand.referral.name || hand.referral.email) ? hand.referral : null,
    };
    const { workspaceId } = ref;
    const action = await applyReplyAction(
      tx,
      {
        id: ref.classificationId,
        workspaceId,
        leadId: row.leadId,
        campaignId: row.campaignId,
        enrollmentId: row.enrollmentId,
        actorId: ref.actor.userId,
      },
      reading,
    );
    await tx
      .update(replyClassifications)
      .set({
        state: "classified",
        ...reading,
        confidence: null,
        suggestedReply: null,
        model: null,
        failure: null,
        classifiedBy: ref.actor.userId,
        classifiedAt: sql`now()` as unknown as Date,
        action,
        undoneAt: null,
        undoneBy: null,
      })
      .where(and(eq(replyClassifications.id, ref.classificationId), eq(replyClassifications.workspaceId, workspaceId)));
    await recordActivities(tx, [
      {
        workspaceId,
        leadId: row.leadId,
        type: "reply_classified",
        actorId: ref.actor.userId,
        payload: readingActivityPayload(ref.classificationId, reading, action),
      },
    ]);
    return { category: reading.category, action: action?.kind ?? null };
  });
}
