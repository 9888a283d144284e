import "server-only";
import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { queueReplyClassification, recordAutoReply } from "@/lib/ai/replies/queue-reply";
import type { LeadStatus } from "@/db/schema";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { recordActivities } from "@/lib/leads/activities";
import { moveLeadStatus, suppressAddress } from "@/lib/sending/events/lead-effects";
import { recordWebhookEvent } from "@/lib/webhooks/record-event";
import { leadFromInstantlyReply } from "./lead-from-reply";
import { normaliseEmail } from "./raw-store";
import type { InstantlyEmail, InstantlyLead } from "./schemas";

/**
 * What Instantly knows about a person, reflected on our leads with the same address (trimmed,
 * lower-cased: Instantly leads are linked to ours by email): a bounce or an unsubscribe moves
 * the lead (as the sending paths do: lib/sending/events/lead-effects.ts), notes it on its
 * timeline, puts the address on the suppression list and ends its active enrollments here; a
 * reply moves a lead not yet further on to `replied` and notes the reply. In the sync's
 * service transaction, with the page that brought the news, and idempotent: a status that
 * did not move notes nothing, and a reply is noted only the first time its email is stored.
 */

/** Instantly's lead statuses (vendors file §1.8): −1 bounced, −2 unsubscribed. */
const BOUNCED = -1;
const UNSUBSCRIBED = -2;
const ANY_LIVE: readonly LeadStatus[] = ["new", "contacted", "replied", "interested", "meeting", "won", "lost"];

/** `added`: leads made from replies whose address no lead of ours had (lead-from-reply.ts). */
export type Reflected = { bounced: number; unsubscribed: number; replied: number; added: number };
export const noneReflected = (): Reflected => ({ bounced: 0, unsubscribed: 0, replied: 0, added: 0 });

async function ourLeadsWith(tx: Executor, workspaceId: string, email: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(sql`
    select id from public.leads where workspace_id = ${workspaceId} and lower(email) = lower(${email}) and deleted_at is null`);
  return rows.map((r) => r.id);
}

export async function reflectInstantlyLeads(tx: Executor, workspaceId: string, leads: InstantlyLead[]): Promise<Reflected> {
  const done = noneReflected();
  for (const lead of leads) {
    const email = normaliseEmail(lead.email);
    if (!email || (lead.status !== BOUNCED && lead.status !== UNSUBSCRIBED)) continue;
    const bounced = lead.status === BOUNCED;
    for (const leadId of await ourLeadsWith(tx, workspaceId, email)) {
      const ref = { workspaceId, leadId };
      const moved = bounced
        ? await moveLeadStatus(tx, ref, "bounced", ANY_LIVE, { emailStatus: "invalid" })
        : await moveLeadStatus(tx, ref, "unsubscribed", ANY_LIVE);
      if (!moved) continue;
      await recordActivities(tx, [
        bounced
          ? { ...ref, type: "email_bounced", actorId: null, payload: { reason: "reported by Instantly" } }
          : { ...ref, type: "unsubscribed", actorId: null, payload: {} },
      ]);
      const ended = await endEnrollments(tx, {
        workspaceId,
        leadId,
        cause: bounced ? "bounced" : "unsubscribed",
        reason: bounced ? "Instantly reported that the address bounced." : "The lead unsubscribed in Instantly.",
        // Instantly's own news: its leads stay there, with their history (end-enrollments.ts).
        reportedByInstantly: true,
      });
      // lead.unsubscribed comes from the leads trigger; a bounce through Instantly writes no email of ours, so it is said here.
      if (bounced) {
        await recordWebhookEvent(tx, workspaceId, "email.bounced", {
          email: instantlyEmailJson({ leadId, to: email, campaignId: ended[0]?.campaignId, enrollmentId: ended[0]?.id }),
          bounced_at: new Date().toISOString(),
          bounce_type: "hard",
          provider: "instantly",
        });
      }
      done[bounced ? "bounced" : "unsubscribed"]++;
    }
    await suppressAddress(
      tx,
      workspaceId,
      email,
      bounced ? "bounce" : "unsubscribe",
      bounced ? "Instantly reported that this address bounced." : "Unsubscribed in Instantly.",
    );
  }
  return done;
}

/**
 * Replies received in Instantly, each the first time it is stored. One Instantly flags as an
 * automatic answer (`is_auto_reply`) is not an answer: it is recorded among the lead's replies
 * as an auto-reply without asking the model, and changes nothing (no status, no timeline entry,
 * its sequence goes on).
 */
export async function reflectInstantlyReplies(tx: Executor, workspaceId: string, emails: InstantlyEmail[]): Promise<Reflected> {
  const done = noneReflected();
  for (const email of emails) {
    const from = normaliseEmail(email.lead ?? email.from_address_email);
    if (!from) continue;
    const subject = typeof email.subject === "string" ? email.subject.slice(0, 300) : undefined;
    const automatic = email.is_auto_reply === true || email.is_auto_reply === 1;
    let ourLeads = await ourLeadsWith(tx, workspaceId, from);
    // A person's answer from an address we hold no lead for becomes one; an auto-reply stays raw.
    if (ourLeads.length === 0 && !automatic) {
      const made = await leadFromInstantlyReply(tx, workspaceId, from, email);
      if ("skipped" in made) continue;
      ourLeads = [made.leadId];
      done.added++;
    }
    for (const leadId of ourLeads) {
      const ref = { workspaceId, leadId };
      if (automatic) {
        const enrollment = await instantlyEnrollmentOf(tx, workspaceId, leadId, email.campaign_id);
        await recordAutoReply(tx as Database, {
          workspaceId,
          source: "instantly",
          replyKey: email.id,
          leadId,
          campaignId: enrollment?.campaign_id ?? null,
          enrollmentId: enrollment?.id ?? null,
          fromAddress: from,
          subject: subject ?? null,
          ...instantlyReplyText(email),
          receivedAt: receivedAt(email),
        });
        continue;
      }
      await recordActivities(tx, [{ ...ref, type: "email_replied", actorId: null, payload: subject ? { subject } : {} }]);
      await moveLeadStatus(tx, ref, "replied", ["new", "contacted"]);
      const ended = await endEnrollments(tx, {
        workspaceId,
        leadId,
        cause: "replied",
        reason: "The lead replied (in Instantly).",
        reportedByInstantly: true,
      });
      // Read by the model (lib/ai/replies); an out-of-office reading resumes the enrollment this reply ended.
      await recordWebhookEvent(tx, workspaceId, "email.replied", {
        email: instantlyEmailJson({
          leadId,
          to: from,
          campaignId: ended[0]?.campaignId,
          enrollmentId: ended[0]?.id,
          from: str((email as Record<string, unknown>).eaccount),
          subject: subject ?? null,
        }),
        replied_at: receivedAt(email).toISOString(),
        provider: "instantly",
        instantly: { email_id: email.id, campaign_id: email.campaign_id ?? null },
      });
      await queueReplyClassification(tx as Database, {
        workspaceId,
        source: "instantly",
        replyKey: email.id,
        leadId,
        campaignId: ended[0]?.campaignId ?? null,
        enrollmentId: ended[0]?.id ?? null,
        fromAddress: from,
        subject: subject ?? null,
        ...instantlyReplyText(email),
        receivedAt: receivedAt(email),
      });
      done.replied++;
    }
  }
  return done;
}

/** The lead's enrollment in our campaign pushed to the Instantly campaign the email belongs to, if any. */
async function instantlyEnrollmentOf(tx: Executor, workspaceId: string, leadId: string, instantlyCampaignId: string | null | undefined) {
  if (!instantlyCampaignId) return null;
  const [row] = await tx.execute<{ id: string; campaign_id: string }>(sql`
    select e.id, e.campaign_id from public.campaign_enrollments e
    join public.instantly_campaign_pushes p on p.campaign_id = e.campaign_id and p.workspace_id = e.workspace_id
    where e.workspace_id = ${workspaceId} and e.lead_id = ${leadId} and p.instantly_campaign_id = ${instantlyCampaignId}
    order by e.created_at desc limit 1`);
  return row ?? null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : null);

/**
 * The `email` object of email.replied and email.bounced (the shape the email_messages trigger
 * sends, migration 0059) for an email Instantly sent: no email of ours, so no id, step or
 * variant; the campaign and enrollment are ours when the lead was in one launched here.
 */
function instantlyEmailJson(e: {
  leadId: string;
  to: string;
  campaignId?: string;
  enrollmentId?: string;
  from?: string | null;
  subject?: string | null;
}) {
  return {
    id: null,
    campaign_id: e.campaignId ?? null,
    enrollment_id: e.enrollmentId ?? null,
    lead_id: e.leadId,
    step_position: null,
    variant_label: null,
    to: e.to,
    from: e.from ?? null,
    subject: e.subject ?? null,
    sent_at: null,
  };
}

/** The reply's text as Instantly gives it: GET /emails' `body` ({ text, html }) or preview, or the webhook's reply fields. */
function instantlyReplyText(email: InstantlyEmail): { text: string | null; html: string | null } {
  const raw = email as Record<string, unknown>;
  const body = raw.body && typeof raw.body === "object" ? (raw.body as Record<string, unknown>) : {};
  return {
    text: str(body.text) ?? str(raw.reply_text) ?? str(raw.content_preview) ?? str(raw.reply_text_snippet),
    html: str(body.html) ?? str(raw.reply_html),
  };
}

function receivedAt(email: InstantlyEmail): Date {
  const at = email.timestamp_created ? new Date(email.timestamp_created) : new Date();
  return Number.isNaN(at.getTime()) ? new Date() : at;
}
