import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { leads, replyClassifications } from "@/db/schema";
import type { ReplyAction, ReplyCategory, ReplyClassificationState, ReplyReferral, ReplySource } from "./reply-categories";

/** One reply as the lead page shows it: what it said (text) and how the model, or a person, read it. */
export type ReplyReadingView = {
  id: string;
  source: ReplySource;
  subject: string | null;
  body: string;
  receivedAt: string;
  state: ReplyClassificationState;
  category: ReplyCategory | null;
  confidence: number | null;
  returnDate: string | null;
  referral: ReplyReferral | null;
  suggestedReply: string | null;
  model: string | null;
  /** The person who read the reply themselves (in place of the model); null: the model's reading. */
  readBy: { name: string } | null;
  failure: string | null;
  classifiedAt: string | null;
  action: ReplyAction | null;
  undoneAt: string | null;
  referredLead: { id: string; name: string } | null;
};

/** The lead's replies, newest first (at most 20), in the reader's RLS transaction. */
export async function listLeadReplies(
  tx: Database,
  { workspaceId, leadId }: { workspaceId: string; leadId: string },
): Promise<ReplyReadingView[]> {
  const referred = sql<string | null>`(select coalesce(nullif(btrim(concat_ws(' ', r.first_name, r.last_name)), ''), r.email)
    from public.leads r where r.id = ${replyClassifications.referredLeadId} and r.workspace_id = ${replyClassifications.workspaceId})`;
  // Profiles are visible to teammates only (RLS): someone who has left reads as a former member.
  const reader = sql<string | null>`(select coalesce(nullif(btrim(p.full_name), ''), p.email)
    from public.profiles p where p.id = ${replyClassifications.classifiedBy})`;
  const rows = await tx
    .select({
      id: replyClassifications.id,
      source: replyClassifications.source,
      subject: replyClassifications.subject,
      body: sql<string>`left(${replyClassifications.body}, 3000)`,
      receivedAt: replyClassifications.receivedAt,
      state: replyClassifications.state,
      category: replyClassifications.category,
      confidence: replyClassifications.confidence,
      returnDate: replyClassifications.returnDate,
      referral: replyClassifications.referral,
      suggestedReply: replyClassifications.suggestedReply,
      model: replyClassifications.model,
      classifiedBy: replyClassifications.classifiedBy,
      readerName: reader,
      failure: replyClassifications.failure,
      classifiedAt: replyClassifications.classifiedAt,
      action: replyClassifications.action,
      undoneAt: replyClassifications.undoneAt,
      referredLeadId: replyClassifications.referredLeadId,
      referredName: referred,
    })
    .from(replyClassifications)
    .innerJoin(leads, and(eq(leads.id, replyClassifications.leadId), eq(leads.workspaceId, replyClassifications.workspaceId)))
    .where(and(eq(replyClassifications.workspaceId, workspaceId), eq(replyClassifications.leadId, leadId)))
    .orderBy(desc(replyClassifications.receivedAt), desc(replyClassifications.id))
    .limit(20);
  return rows.map(({ referredLeadId, referredName, classifiedBy, readerName, receivedAt, classifiedAt, undoneAt, ...row }) => ({
    ...row,
    readBy: classifiedBy ? { name: readerName ?? "a former member" } : null,
    receivedAt: receivedAt.toISOString(),
    classifiedAt: classifiedAt?.toISOString() ?? null,
    undoneAt: undoneAt?.toISOString() ?? null,
    referredLead: referredLeadId ? { id: referredLeadId, name: referredName ?? "the referred lead" } : null,
  }));
}
