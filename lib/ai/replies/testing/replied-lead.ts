import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { serviceDb, withServiceTx } from "@/db";
import { campaignEnrollments, leads } from "@/db/schema";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { runningCampaign, type RunningCampaign } from "@/lib/sending/send/testing/running-campaign";
import type { TenancyWorkspace } from "@/tests/fixtures/tenancy";
import { queueReplyClassification } from "../queue-reply";

export type RepliedLead = { r: RunningCampaign; leadId: string; enrollmentId: string; classificationId: string };

/**
 * A running campaign of `ws` whose first lead (owned by the sales rep) was sent step 1 and has a
 * reply waiting to be read (pending). The campaign needs the scripted outbox's RESEND_BASE_URL.
 */
export async function repliedLead(
  ws: TenancyWorkspace,
  options: { body?: string; stopped?: boolean; status?: "contacted" | "replied"; alone?: boolean } = {},
): Promise<RepliedLead> {
  const db = serviceDb();
  // Two leads: the campaign stays running when this one's enrollment stops (unless it is alone: then it completes).
  // They reach their status after the launch: approval runs pre-flight, which leaves out a lead that replied.
  const r = await runningCampaign(ws, options.alone ? 1 : 2, { leads: { ownerId: ws.members.sales_rep.id, status: "contacted" } });
  await db
    .update(leads)
    .set({ status: options.status ?? "replied" })
    .where(inArray(leads.id, r.leadIds));
  const leadId = r.leadIds[0]!;
  const enrollmentId = r.enrollmentIds[0]!;
  await db
    .update(campaignEnrollments)
    .set({ nextSendAt: new Date(Date.now() + 3 * 86_400_000) })
    .where(eq(campaignEnrollments.id, enrollmentId));
  if (options.stopped) await endEnrollments(db, { workspaceId: ws.id, enrollmentId, cause: "replied", reason: "Replied." });
  const replied = { r, leadId, enrollmentId };
  const classificationId = await queueReply(ws, replied, { text: options.body ?? "Sounds good, let's talk next week." });
  return { ...replied, classificationId };
}

/** Another reply of the lead on the same enrollment, queued for reading. */
export async function queueReply(
  ws: TenancyWorkspace,
  { r, leadId, enrollmentId }: { r: { campaignId: string; emails: string[] }; leadId: string; enrollmentId: string },
  { text, subject = "Re: Hello", receivedAt = new Date("2026-12-01T10:00:00Z") }: { text: string; subject?: string; receivedAt?: Date },
): Promise<string> {
  const id = await withServiceTx((tx) =>
    queueReplyClassification(tx, {
      workspaceId: ws.id,
      source: "resend",
      replyKey: randomUUID(),
      leadId,
      campaignId: r.campaignId,
      enrollmentId,
      fromAddress: r.emails[0]!,
      subject,
      text,
      html: null,
      receivedAt,
    }),
  );
  return id!;
}
