import "server-only";
import { and, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import {
  emailEvents,
  emailMessages,
  leadActivities,
  leads,
  suppressions,
  workspaces,
  type LeadStatus,
  type SuppressionReason,
} from "@/db/schema";
import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import type { UnsubscribeSubject } from "@/lib/campaigns/unsubscribe-token";
import { campaignsOf, endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { completeCampaignIfDone } from "@/lib/campaigns/lifecycle/complete-campaign";
import { recordActivities } from "@/lib/leads/activities";
import { addSuppression } from "./add-suppression";
import { normaliseSuppression } from "./normalise";

/**
 * What the unsubscribe page says: who sends, to which address, whether it is unsubscribed, and
 * whether its Undo may lift that (undoableUnsubscribe).
 */
export type UnsubscribeView = { workspaceName: string; address: string | null; unsubscribed: boolean; undoable: boolean };

/** How long after unsubscribing by the link (or one-click) its page's Undo works. */
export const UNSUBSCRIBE_UNDO_MINUTES = 60;

/** `reply`: an email to the List-Unsubscribe mailto (lib/sending/events/inbound/mailto-unsubscribe.ts). */
export type UnsubscribeVia = "link" | "one_click" | "reply";

/** `campaignId` null: a reply asking to be removed that came through Instantly, not one of our campaign emails. */
type Subject = Pick<UnsubscribeSubject, "workspaceId" | "leadId"> & { campaignId: string | null };

/**
 * The unsubscribe link's state, for its GET page: reads only (mail scanners follow links).
 * Null when the token's lead is not in the token's workspace (deleted since, or never).
 */
export async function readUnsubscribe(db: Executor, subject: Subject): Promise<UnsubscribeView | null> {
  const lead = await findLead(db, subject);
  if (!lead) return null;
  const addresses = addressesOf(lead.email, await latestMessage(db, subject));
  const unsubscribed = await isUnsubscribed(db, subject, lead, addresses);
  return {
    workspaceName: lead.workspaceName,
    address: addresses[0] ?? null,
    unsubscribed,
    undoable: unsubscribed && (await undoableUnsubscribe(db, subject)),
  };
}

/**
 * Honours an unsubscribe (the one-click POST or the page's button; DESIGN.md §7.3, §7.5), at
 * once and in one transaction on the service connection, scoped by the token's workspace:
 * the address (the lead's, and the one the campaign's email went to when it differs) joins
 * the suppression list with reason `unsubscribe`; the lead becomes `unsubscribed` with an
 * `unsubscribed` entry on its timeline; the campaign's latest email to it gets its
 * unsubscribed_at and an `unsubscribed` event; every active enrollment of the lead ends
 * (cause unsubscribed), which cancels its sleeping run. Idempotent: a second click, a replayed
 * POST or a scanner repeating it changes nothing more.
 */
export async function unsubscribeLead(db: Database, subject: Subject, via: UnsubscribeVia): Promise<UnsubscribeView | null> {
  const { view, endedCampaigns } = await db.transaction(async (tx) => {
    // The row lock orders this against a send step that reads the lead for share: a send
    // either committed before (and was sent) or sees the lead unsubscribed.
    const lead = await findLead(tx, subject, { lock: true });
    if (!lead) return { view: null, endedCampaigns: [] };
    const message = await latestMessage(tx, subject);
    const addresses = addressesOf(lead.email, message);
    for (const value of addresses) {
      await addSuppression(tx, { workspaceId: subject.workspaceId, kind: "email", value, reason: "unsubscribe" });
    }
    const first = lead.status !== "unsubscribed";
    if (first) {
      await tx
        .update(leads)
        .set({ status: "unsubscribed" })
        .where(and(eq(leads.id, subject.leadId), eq(leads.workspaceId, subject.workspaceId)));
      await recordActivities(tx, [
        {
          workspaceId: subject.workspaceId,
          leadId: subject.leadId,
          type: "unsubscribed",
          actorId: null,
          payload: {
            ...(subject.campaignId ? { campaignId: subject.campaignId } : {}),
            messageId: message?.id,
            via,
            statusBefore: lead.status,
          },
        },
      ]);
    }
    if (message && !message.unsubscribedAt) {
      const [marked] = await tx
        .update(emailMessages)
        .set({ unsubscribedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(emailMessages.id, message.id), eq(emailMessages.workspaceId, subject.workspaceId), sql`unsubscribed_at is null`))
        .returning({ id: emailMessages.id });
      if (marked) {
        await tx.insert(emailEvents).values({
          workspaceId: subject.workspaceId,
          messageId: message.id,
          type: "unsubscribed",
          occurredAt: sql`now()`,
          payload: { via },
        });
      }
    }
    const ended = await endEnrollments(tx, {
      workspaceId: subject.workspaceId,
      leadId: subject.leadId,
      cause: "unsubscribed",
      reason: { one_click: "Unsubscribed (one-click)", link: "Unsubscribed (link in the email)", reply: "Unsubscribed (by email)" }[via],
    });
    return {
      view: {
        workspaceName: lead.workspaceName,
        address: addresses[0] ?? null,
        unsubscribed: true,
        undoable: await undoableUnsubscribe(tx, subject),
      },
      endedCampaigns: campaignsOf(ended),
    };
  });
  // After the commit, so the last enrollment to end sees every other one ended.
  for (const campaignId of endedCampaigns) await completeCampaignIfDone(db, campaignId);
  return view;
}

/**
 * The page's Undo: the `unsubscribe` suppressions of the lead's addresses go (an admin's,
 * a bounce's or a complaint's stay: those are not the person's to lift), the lead returns to
 * the status it had before, and the campaign's email loses its unsubscribed_at. Sequences
 * that ended stay ended: nothing cancelled is sent after all.
 *
 * `by`: the person who unsubscribed, holding the link's token (only while undoableUnsubscribe
 * allows it; otherwise nothing changes and the view says it stays unsubscribed), or a member of
 * the workspace whose right to lift it (`suppression.manage`) the caller has checked.
 */
export async function undoUnsubscribe(
  db: Database,
  subject: Subject,
  by: { recipient: true } | { memberId: string },
): Promise<UnsubscribeView | null> {
  return db.transaction(async (tx) => {
    const lead = await findLead(tx, subject, { lock: true });
    if (!lead) return null;
    const addresses = addressesOf(lead.email, await latestMessage(tx, subject));
    if ("recipient" in by && !(await undoableUnsubscribe(tx, subject))) {
      return {
        workspaceName: lead.workspaceName,
        address: addresses[0] ?? null,
        unsubscribed: await isUnsubscribed(tx, subject, lead, addresses),
        undoable: false,
      };
    }
    // The address bounced or its owner marked our email as spam since: that stands, and so
    // does the lead's unsubscribe (suppressAddress gives such an entry the bounce's or the
    // complaint's reason, which no Undo lifts).
    if (await suppressedFor(tx, subject, addresses, ["bounce", "complaint"])) {
      return { workspaceName: lead.workspaceName, address: addresses[0] ?? null, unsubscribed: true, undoable: false };
    }
    if (addresses.length > 0) {
      await tx
        .delete(suppressions)
        .where(
          and(
            eq(suppressions.workspaceId, subject.workspaceId),
            eq(suppressions.kind, "email"),
            inArray(suppressions.value, addresses),
            eq(suppressions.reason, "unsubscribe"),
          ),
        );
    }
    if (lead.status === "unsubscribed") {
      const before = (await statusBeforeUnsubscribe(tx, subject)) ?? "new";
      await tx
        .update(leads)
        .set({ status: before })
        .where(and(eq(leads.id, subject.leadId), eq(leads.workspaceId, subject.workspaceId)));
      await recordActivities(tx, [
        {
          workspaceId: subject.workspaceId,
          leadId: subject.leadId,
          type: "status_changed",
          actorId: "memberId" in by ? by.memberId : null,
          payload: { before: "unsubscribed", after: before, via: "unsubscribe_undo" },
        },
      ]);
    }
    if (!subject.campaignId)
      return { workspaceName: lead.workspaceName, address: addresses[0] ?? null, unsubscribed: false, undoable: false };
    await tx
      .update(emailMessages)
      .set({ unsubscribedAt: null, updatedAt: sql`now()` })
      .where(
        and(
          eq(emailMessages.workspaceId, subject.workspaceId),
          eq(emailMessages.campaignId, subject.campaignId),
          eq(emailMessages.leadId, subject.leadId),
          isNotNull(emailMessages.unsubscribedAt),
        ),
      );
    return { workspaceName: lead.workspaceName, address: addresses[0] ?? null, unsubscribed: false, undoable: false };
  });
}

type FoundLead = { email: string | null; status: LeadStatus; workspaceName: string };

async function findLead(db: Executor, subject: Subject, { lock = false } = {}): Promise<FoundLead | null> {
  const query = db
    .select({ email: leads.email, status: leads.status, workspaceName: workspaces.name })
    .from(leads)
    .innerJoin(workspaces, eq(workspaces.id, leads.workspaceId))
    .where(and(eq(leads.id, subject.leadId), eq(leads.workspaceId, subject.workspaceId)));
  const [lead] = await (lock ? query.for("update", { of: leads }) : query);
  return lead ?? null;
}

/** The lead's address now, and the one the campaign last wrote to if it changed since; normalised. */
function addressesOf(leadEmail: string | null, message: { toEmail: string | null } | null): string[] {
  const values = [leadEmail, message?.toEmail]
    .map((raw) => (raw ? normaliseSuppression(raw, "email") : null))
    .flatMap((n) => (n?.ok ? [n.entry.value] : []));
  return [...new Set(values)];
}

/** The campaign's latest email to the lead that left (the one whose link or header was used). */
async function latestMessage(db: Executor, subject: Subject) {
  if (!subject.campaignId) return null;
  const [message] = await db
    .select({ id: emailMessages.id, toEmail: emailMessages.toEmail, unsubscribedAt: emailMessages.unsubscribedAt })
    .from(emailMessages)
    .where(
      and(
        eq(emailMessages.workspaceId, subject.workspaceId),
        eq(emailMessages.leadId, subject.leadId),
        eq(emailMessages.campaignId, subject.campaignId),
        isNotNull(emailMessages.sentAt),
      ),
    )
    .orderBy(desc(emailMessages.sentAt))
    .limit(1);
  return message ?? null;
}

async function isUnsubscribed(db: Executor, subject: Subject, lead: FoundLead, addresses: string[]): Promise<boolean> {
  return lead.status === "unsubscribed" || (await suppressedFor(db, subject, addresses, ["unsubscribe"]));
}

/** Whether one of the lead's addresses is on the workspace's suppression list for one of `reasons`. */
async function suppressedFor(db: Executor, subject: Subject, addresses: string[], reasons: SuppressionReason[]): Promise<boolean> {
  if (addresses.length === 0) return false;
  const [row] = await db
    .select({ id: suppressions.id })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, subject.workspaceId),
        eq(suppressions.kind, "email"),
        inArray(suppressions.value, addresses),
        inArray(suppressions.reason, reasons),
      ),
    )
    .limit(1);
  return !!row;
}

async function statusBeforeUnsubscribe(db: Executor, subject: Subject): Promise<LeadStatus | null> {
  const before = (await latestUnsubscribe(db, subject))?.statusBefore;
  return before && before !== "unsubscribed" && (LEAD_STATUSES as readonly string[]).includes(before) ? before : null;
}

/**
 * Whether the page's Undo may lift the lead's unsubscribe: only one made by the link or the
 * one-click header (the lead's latest), and only within UNSUBSCRIBE_UNDO_MINUTES of it.
 * Why: the token is the only key the page asks for, and it does not stay secret: a reply quotes
 * the email, link and all, where the sender's team reads it. A lasting Undo would let any of
 * them put an opted-out person back on the list, which in the app only an admin may do (from the
 * suppression list). An unsubscribe asked for by email was never the link's to lift.
 */
async function undoableUnsubscribe(db: Executor, subject: Subject): Promise<boolean> {
  const latest = await latestUnsubscribe(db, subject);
  return !!latest && latest.recent && (latest.via === "link" || latest.via === "one_click");
}

/**
 * The lead's latest `unsubscribed` timeline entry: how, whether within the Undo window, and the
 * status before it. Only entries the server wrote (no actor, not dated ahead): a member may add
 * timeline entries of their own, and one forged to read as the link's unsubscribe would let the
 * link's holder lift an unsubscribe asked for by email, which only an admin may lift.
 */
async function latestUnsubscribe(db: Executor, subject: Subject) {
  const [latest] = await db
    .select({
      via: sql<string | null>`${leadActivities.payload} ->> 'via'`,
      statusBefore: sql<LeadStatus | null>`${leadActivities.payload} ->> 'statusBefore'`,
      recent: sql<boolean>`${leadActivities.createdAt} > now() - make_interval(mins => ${UNSUBSCRIBE_UNDO_MINUTES})`,
    })
    .from(leadActivities)
    .where(
      and(
        eq(leadActivities.workspaceId, subject.workspaceId),
        eq(leadActivities.leadId, subject.leadId),
        eq(leadActivities.type, "unsubscribed"),
        isNull(leadActivities.actorId),
        sql`${leadActivities.createdAt} <= now()`,
      ),
    )
    .orderBy(desc(leadActivities.createdAt))
    .limit(1);
  return latest ?? null;
}
