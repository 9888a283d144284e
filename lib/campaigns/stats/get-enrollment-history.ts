import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { EmailEventType, MessageStatus } from "@/db/schema/campaign-enums";
import type { JobRunStatus } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { EnrollmentRow } from "./list-campaign-enrollments";

export type MessageEvent = { id: string; type: EmailEventType; occurredAt: string; detail: string | null };
export type ReplyView = { id: string; fromAddress: string; subject: string | null; text: string | null; receivedAt: string };
export type MessageView = {
  id: string;
  stepPosition: number;
  variantLabel: string | null;
  status: MessageStatus;
  toEmail: string | null;
  subject: string | null;
  reason: string | null;
  sentAt: string | null;
  createdAt: string;
  events: MessageEvent[];
  replies: ReplyView[];
};
export type SequenceRun = { id: string; generation: number; status: JobRunStatus; createdAt: string };
export type EnrollmentHistory = { enrollment: EnrollmentRow & { generation: number }; messages: MessageView[]; runs: SequenceRun[] };

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/**
 * One enrollment of a campaign with every email of its sequence, what the provider said about
 * each (in order), the replies received to them (their text only: a stranger wrote it, so the
 * page shows it as text and never renders its HTML), and its sequence runs, one per generation
 * (the event id `enrollment-<id>-<generation>`; only admins can read job runs, RLS returns none
 * to others). Not found for another campaign's or workspace's enrollment.
 */
export async function getEnrollmentHistory(
  tx: Executor,
  { workspaceId, campaignId, enrollmentId }: { workspaceId: string; campaignId: string; enrollmentId: string },
): Promise<EnrollmentHistory> {
  const [enrollment] = await tx.execute<{
    id: string;
    lead_id: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    deleted: boolean;
    status: EnrollmentRow["status"];
    next_step: number;
    next_send_at: string | null;
    last_sent_at: string | null;
    end_cause: EnrollmentRow["endCause"];
    stop_reason: string | null;
    finished_at: string | null;
    generation: number;
  }>(sql`
    select e.id, e.lead_id, l.first_name, l.last_name, l.email, l.deleted_at is not null as deleted, e.status, e.next_step,
           e.next_send_at, e.last_sent_at, e.end_cause, e.stop_reason, e.finished_at, e.generation
      from public.campaign_enrollments e
      left join public.leads l on l.id = e.lead_id and l.workspace_id = e.workspace_id
     where e.id = ${enrollmentId} and e.campaign_id = ${campaignId} and e.workspace_id = ${workspaceId}`);
  if (!enrollment) throw notFound("That enrollment");
  const eventKeys = Array.from({ length: Math.min(enrollment.generation, 50) }, (_, i) => `enrollment-${enrollmentId}-${i + 1}`);
  const [messages, events, replies, runs] = await Promise.all([
    tx.execute<{
      id: string;
      step_position: number;
      variant_label: string | null;
      status: MessageStatus;
      to_email: string | null;
      subject: string | null;
      reason: string | null;
      sent_at: string | null;
      created_at: string;
    }>(sql`
      select id, step_position, variant_label, status, to_email, subject, reason, sent_at, created_at
        from public.email_messages
       where enrollment_id = ${enrollmentId} and workspace_id = ${workspaceId}
       order by step_position, created_at`),
    tx.execute<{ id: string; message_id: string; type: EmailEventType; occurred_at: string; payload: Record<string, unknown> }>(sql`
      select ev.id, ev.message_id, ev.type, ev.occurred_at, ev.payload
        from public.email_events ev
        join public.email_messages m on m.id = ev.message_id and m.workspace_id = ev.workspace_id
       where m.enrollment_id = ${enrollmentId} and m.workspace_id = ${workspaceId}
       order by ev.occurred_at, ev.created_at`),
    tx.execute<{
      id: string;
      message_id: string | null;
      from_address: string;
      subject: string | null;
      text_body: string | null;
      received_at: string;
    }>(
      // Along email_replies_lead_idx: replies have no index by enrollment.
      sql`
      select id, message_id, from_address, subject, text_body, received_at
        from public.email_replies
       where lead_id = ${enrollment.lead_id} and enrollment_id = ${enrollmentId} and workspace_id = ${workspaceId}
       order by received_at`,
    ),
    tx.execute<{ id: string; idempotency_key: string; status: JobRunStatus; created_at: string }>(sql`
      select r.id, ev.idempotency_key, r.status, r.created_at
        from public.job_events ev
        join public.job_runs r on r.event_id = ev.id
       where ev.idempotency_key in ${eventKeys} and ev.workspace_id = ${workspaceId}
       order by r.created_at`),
  ]);
  const lastStep = messages.at(-1)?.id;
  return {
    enrollment: {
      id: enrollment.id,
      leadId: enrollment.lead_id,
      leadName: [enrollment.first_name, enrollment.last_name].filter(Boolean).join(" ") || null,
      leadEmail: enrollment.email,
      leadDeleted: enrollment.deleted,
      status: enrollment.status,
      nextStep: enrollment.next_step,
      nextSendAt: iso(enrollment.next_send_at),
      lastSentAt: iso(enrollment.last_sent_at),
      endCause: enrollment.end_cause,
      stopReason: enrollment.stop_reason,
      finishedAt: iso(enrollment.finished_at),
      generation: enrollment.generation,
    },
    messages: messages.map((m) => ({
      id: m.id,
      stepPosition: m.step_position,
      variantLabel: m.variant_label,
      status: m.status,
      toEmail: m.to_email,
      subject: m.subject,
      reason: m.reason,
      sentAt: iso(m.sent_at),
      createdAt: iso(m.created_at)!,
      events: events
        .filter((e) => e.message_id === m.id)
        .map((e) => ({ id: e.id, type: e.type, occurredAt: iso(e.occurred_at)!, detail: eventDetail(e.type, e.payload) })),
      // A reply not matched to one message (a tagged reply-to only) shows under the latest email.
      replies: replies
        .filter((r) => r.message_id === m.id || (r.message_id === null && m.id === lastStep))
        .map((r) => ({ id: r.id, fromAddress: r.from_address, subject: r.subject, text: r.text_body, receivedAt: iso(r.received_at)! })),
    })),
    runs: runs.map((r) => ({
      id: r.id,
      generation: Number(r.idempotency_key.slice(r.idempotency_key.lastIndexOf("-") + 1)),
      status: r.status,
      createdAt: iso(r.created_at)!,
    })),
  };
}

/** The one fact worth a line from an event's payload: the link clicked, the bounce's words. */
function eventDetail(type: EmailEventType, payload: Record<string, unknown>): string | null {
  const data = (payload.data ?? payload) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 300) : null);
  if (type === "clicked") {
    const click = data.click as Record<string, unknown> | undefined;
    return text(click?.link) ?? text(data.link);
  }
  if (type === "bounced") {
    const bounce = data.bounce as Record<string, unknown> | undefined;
    return text(bounce?.message) ?? text(bounce?.subType) ?? text(bounce?.type);
  }
  if (type === "failed") {
    const failed = data.failed as Record<string, unknown> | undefined;
    return text(failed?.reason);
  }
  return null;
}
