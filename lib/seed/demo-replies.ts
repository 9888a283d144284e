import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db";
import { leadActivities, leads, replyClassifications, type LeadStatus } from "@/db/schema";
import type { ReplyAction, ReplyCategory, ReplyReferral } from "@/lib/ai/replies/reply-categories";

/** What the demo's readings say they came from: no model was asked. */
export const DEMO_READING_MODEL = "sample reading (no model)";

type DemoReply = {
  status: LeadStatus;
  subject: string;
  body: (domain: string) => string;
  category: ReplyCategory;
  confidence: number;
  returnDate?: (anchor: Date) => string;
  referral?: (domain: string) => ReplyReferral;
  suggestedReply: string | null;
  action?: (referral: ReplyReferral | null) => ReplyAction;
};

const REPLIES: DemoReply[] = [
  {
    status: "interested",
    subject: "Re: A quicker way to qualify inbound",
    body: () => "This looks relevant for our team. Could we do 30 minutes on Thursday afternoon?",
    category: "interested",
    confidence: 0.94,
    suggestedReply: "Great to hear! Thursday at 3 pm works on my side — I'll send an invite. Anything you'd like me to prepare?",
    action: () => ({ kind: "lead_interested", statusBefore: "replied" }),
  },
  {
    status: "replied",
    subject: "Automatic reply: A quicker way to qualify inbound",
    body: () => "Thank you for your email. I'm out of the office until 12 January with limited access to email.",
    category: "out_of_office",
    confidence: 0.97,
    returnDate: (anchor) => {
      const year = anchor.getUTCMonth() === 0 && anchor.getUTCDate() < 12 ? anchor.getUTCFullYear() : anchor.getUTCFullYear() + 1;
      return `${year}-01-12`;
    },
    suggestedReply: null,
  },
  {
    status: "replied",
    subject: "Re: A quicker way to qualify inbound",
    body: (domain) =>
      `I'm not the right person for this — please talk to Priya Nair (priya.nair@${domain}), our Head of Revenue Operations.`,
    category: "wrong_person",
    confidence: 0.91,
    referral: (domain) => ({ name: "Priya Nair", email: `priya.nair@${domain}`, title: "Head of Revenue Operations" }),
    suggestedReply: "Thank you for pointing me to Priya — I'll reach out to her directly.",
    action: (referral) => ({ kind: "referral_offered", referral: referral!, existingLeadId: null }),
  },
  {
    status: "replied",
    subject: "Re: A quicker way to qualify inbound",
    body: () => "Not this quarter, we're mid-migration. Try me again in the spring.",
    category: "not_now",
    confidence: 0.88,
    suggestedReply: "Understood — good luck with the migration. I'll check back in early spring.",
  },
];

/**
 * A few of Acme's leads have a reply already read, so the lead page shows what reading replies
 * looks like without a model (the readings are fixed, and say so as their model). Deterministic
 * (the first leads of each status by email) and safe to run again: a reading already there is
 * kept, and only a new one adds its timeline entry.
 */
export async function seedDemoReplies(db: Database, workspaceId: string, anchor: Date): Promise<number> {
  const used = new Set<string>();
  let added = 0;
  for (const [i, reply] of REPLIES.entries()) {
    const candidates = await db
      .select({ id: leads.id, email: leads.email })
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), eq(leads.status, reply.status), isNull(leads.deletedAt)))
      .orderBy(asc(leads.email))
      .limit(10);
    const lead = candidates.find((c) => c.email && !used.has(c.id));
    if (!lead) continue;
    used.add(lead.id);
    const domain = lead.email!.split("@")[1] ?? "example.com";
    const referral = reply.referral?.(domain) ?? null;
    const receivedAt = new Date(anchor.getTime() - (i + 1) * 5 * 3_600_000);
    const action = reply.action?.(referral) ?? null;
    const [row] = await db
      .insert(replyClassifications)
      .values({
        workspaceId,
        source: "resend",
        replyKey: `demo-reply-${i + 1}`,
        leadId: lead.id,
        fromAddress: lead.email,
        subject: reply.subject,
        body: reply.body(domain),
        receivedAt,
        state: "classified",
        category: reply.category,
        confidence: reply.confidence,
        returnDate: reply.returnDate?.(anchor) ?? null,
        referral,
        suggestedReply: reply.suggestedReply,
        model: DEMO_READING_MODEL,
        classifiedAt: new Date(receivedAt.getTime() + 60_000),
        action,
      })
      .onConflictDoNothing()
      .returning({ id: replyClassifications.id });
    if (!row) continue;
    added++;
    await db.insert(leadActivities).values({
      workspaceId,
      leadId: lead.id,
      type: "reply_classified",
      actorId: null,
      payload: {
        classificationId: row.id,
        category: reply.category,
        confidence: reply.confidence,
        ...(reply.returnDate ? { returnDate: reply.returnDate(anchor) } : {}),
        ...(referral ? { referral } : {}),
        ...(action ? { action: action.kind } : {}),
      },
      createdAt: new Date(receivedAt.getTime() + 60_000),
    });
  }
  return added;
}
