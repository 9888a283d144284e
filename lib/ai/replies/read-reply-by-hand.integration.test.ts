import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaignEnrollments, leadActivities, leads, notifications, replyClassifications, suppressions } from "@/db/schema";
import { scriptedOutboxTestbed } from "@/lib/sending/send/testing/scripted-outbox-testbed";
import { asUser } from "@/tests/fixtures/tenancy";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { classifyReply } from "./classify-reply";
import { listLeadReplies } from "./list-lead-replies";
import { readReplyByHand, type HandReading } from "./read-reply-by-hand";
import { repliedLead } from "./testing/replied-lead";
import { addReferredLead } from "./add-referred-lead";
import { undoReplyAction } from "./undo-reply-action";

/**
 * A lead editor reads a reply themselves (no model is configured in this suite): the reading
 * does what the model's would, is recorded as theirs, and never stacks on an action that still
 * stands.
 */
const testbed = scriptedOutboxTestbed();
const db = () => serviceDb();
const ws = () => testbed.fx.a;
const rep = () => ({ userId: ws().members.sales_rep.id, role: "sales_rep" as WorkspaceRole });
const read = (classificationId: string, hand: HandReading, actor = rep(), workspaceId = ws().id) =>
  readReplyByHand({ workspaceId, actor, classificationId }, hand);

async function row(id: string) {
  const [r] = await db().select().from(replyClassifications).where(eq(replyClassifications.id, id));
  return r!;
}
async function status(leadId: string) {
  const [l] = await db().select({ status: leads.status }).from(leads).where(eq(leads.id, leadId));
  return l!.status;
}

describe("a reply read by a person", () => {
  it("with no model configured: read as interested by the lead's owner, it moves the lead, is recorded as theirs, and the job leaves it", async () => {
    const { leadId, classificationId } = await repliedLead(ws());
    expect(await classifyReply({ workspaceId: ws().id, classificationId })).toEqual({ state: "no_model" });

    expect(await read(classificationId, { category: "interested" })).toEqual({ category: "interested", action: "lead_interested" });
    expect(await status(leadId)).toBe("interested");
    expect(await row(classificationId)).toMatchObject({
      state: "classified",
      category: "interested",
      confidence: null,
      model: null,
      classifiedBy: rep().userId,
      action: { kind: "lead_interested", statusBefore: "replied" },
    });
    const [entry] = await db()
      .select()
      .from(leadActivities)
      .where(and(eq(leadActivities.leadId, leadId), eq(leadActivities.type, "reply_classified")));
    expect(entry).toMatchObject({
      actorId: rep().userId,
      payload: { classificationId, category: "interested", action: "lead_interested" },
    });
    expect(entry!.payload).not.toHaveProperty("confidence");
    // The status change is theirs too, and the owner who read it is not told of their own reading.
    const [moved] = await db()
      .select()
      .from(leadActivities)
      .where(and(eq(leadActivities.leadId, leadId), eq(leadActivities.type, "status_changed")))
      .orderBy(desc(leadActivities.createdAt))
      .limit(1);
    expect(moved).toMatchObject({ actorId: rep().userId, payload: { before: "replied", after: "interested" } });
    expect(await db().select().from(notifications).where(eq(notifications.subjectId, leadId))).toHaveLength(0);

    // The lead page names the reader (the sales rep's own RLS transaction).
    const [view] = await asUser(ws().members.sales_rep, (tx) => listLeadReplies(tx, { workspaceId: ws().id, leadId }));
    expect(view).toMatchObject({ id: classificationId, category: "interested", readBy: { name: expect.any(String) }, model: null });
    expect(await classifyReply({ workspaceId: ws().id, classificationId })).toEqual({ state: "skipped", reason: "already classified" });
  });

  it("out of office with a return date puts the enrollment's next step after it, on a reply the model has not read yet", async () => {
    const { enrollmentId, classificationId } = await repliedLead(ws(), { status: "contacted" });
    expect(await read(classificationId, { category: "out_of_office", returnDate: "2027-03-09" })).toEqual({
      category: "out_of_office",
      action: "enrollment_delayed",
    });
    const [e] = await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.id, enrollmentId));
    expect(e!.nextSendAt!.getTime()).toBeGreaterThanOrEqual(new Date("2027-03-09T12:00:00Z").getTime());
    expect((await row(classificationId)).returnDate).toBe("2027-03-09");
  });

  it("refuses to stack a second reading on an action that still stands; once undone, reads it again and clears what the first one said", async () => {
    const { leadId, classificationId } = await repliedLead(ws());
    await read(classificationId, { category: "interested" });
    await expect(read(classificationId, { category: "not_now" })).rejects.toThrow(
      /already did something \(lead marked interested, owner notified\): undo it first/,
    );
    expect(await status(leadId)).toBe("interested");

    await undoReplyAction({ workspaceId: ws().id, actor: rep(), classificationId });
    expect(await status(leadId)).toBe("replied");
    expect(await read(classificationId, { category: "not_now", returnDate: "2027-01-01" })).toEqual({ category: "not_now", action: null });
    expect(await row(classificationId)).toMatchObject({
      category: "not_now",
      returnDate: null,
      action: null,
      undoneAt: null,
      undoneBy: null,
    });
    // A reading that did nothing may be changed straight away.
    expect(await read(classificationId, { category: "question" })).toEqual({ category: "question", action: null });
  });

  it("a wrong person with an address is offered as a lead; an unsubscribe request suppresses the address", async () => {
    const first = await repliedLead(ws());
    expect(
      await read(first.classificationId, {
        category: "wrong_person",
        referral: { name: "María Núñez", email: "maria@nordwind.example", title: null },
      }),
    ).toEqual({ category: "wrong_person", action: "referral_offered" });
    expect((await row(first.classificationId)).referral).toEqual({ name: "María Núñez", email: "maria@nordwind.example", title: null });
    // Without a name or an address there is nobody to offer.
    const second = await repliedLead(ws());
    expect(await read(second.classificationId, { category: "wrong_person", referral: { name: null, email: null, title: null } })).toEqual({
      category: "wrong_person",
      action: null,
    });

    const third = await repliedLead(ws());
    expect(await read(third.classificationId, { category: "unsubscribe_request" })).toEqual({
      category: "unsubscribe_request",
      action: "unsubscribed",
    });
    expect(await status(third.leadId)).toBe("unsubscribed");
    const suppressed = await db()
      .select()
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, ws().id), eq(suppressions.value, third.r.emails[0]!)));
    expect(suppressed).toHaveLength(1);
  });

  it("is refused while its lead is deleted, as every other change to the lead is: no reading, undo or referral, nothing on the timeline", async () => {
    const deleteLead = (leadId: string) =>
      db().update(leads).set({ deletedAt: new Date(), deletedBy: rep().userId }).where(eq(leads.id, leadId));
    const timeline = async (leadId: string) => (await db().select().from(leadActivities).where(eq(leadActivities.leadId, leadId))).length;
    const deleted = /lead is deleted\. Restore it/;

    const unread = await repliedLead(ws());
    await deleteLead(unread.leadId);
    const entries = await timeline(unread.leadId);
    await expect(read(unread.classificationId, { category: "interested" })).rejects.toThrow(deleted);
    expect(await status(unread.leadId)).toBe("replied");
    expect((await row(unread.classificationId)).state).toBe("pending");

    const readBefore = await repliedLead(ws());
    await read(readBefore.classificationId, { category: "interested" });
    await deleteLead(readBefore.leadId);
    const ref = { workspaceId: ws().id, actor: rep(), classificationId: readBefore.classificationId };
    await expect(undoReplyAction(ref)).rejects.toThrow(deleted);
    expect(await status(readBefore.leadId)).toBe("interested");
    expect((await row(readBefore.classificationId)).undoneAt).toBeNull();

    const referring = await repliedLead(ws());
    await read(referring.classificationId, {
      category: "wrong_person",
      referral: { name: "Zoë Ødegård", email: "zoe@fjord.example", title: null },
    });
    await deleteLead(referring.leadId);
    const referralRef = { workspaceId: ws().id, actor: rep(), classificationId: referring.classificationId };
    await expect(addReferredLead(referralRef)).rejects.toThrow(deleted);
    expect((await row(referring.classificationId)).referredLeadId).toBeNull();
    expect(await timeline(unread.leadId)).toBe(entries);
  });

  it("is refused to someone who may not edit the lead, and to another workspace, changing nothing", async () => {
    const { leadId, classificationId } = await repliedLead(ws());
    const analyst = { userId: ws().members.analyst.id, role: "analyst" as WorkspaceRole };
    await expect(read(classificationId, { category: "interested" }, analyst)).rejects.toThrow(/may edit this lead/);
    const other = testbed.fx.b;
    await expect(
      read(classificationId, { category: "interested" }, { userId: other.members.admin.id, role: "admin" }, other.id),
    ).rejects.toThrow(/not found/);
    expect(await status(leadId)).toBe("replied");
    expect((await row(classificationId)).state).toBe("pending");
  });
});
