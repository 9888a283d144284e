import { Mail } from "lucide-react";
import Link from "next/link";
import { RunStatusBadge } from "@/components/jobs/run-status-badge";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LocalTime } from "@/components/ui/local-time";
import type { EmailEventType, MessageStatus } from "@/db/schema/campaign-enums";
import { describeEndReason, MESSAGE_STATUS_LABELS } from "@/lib/campaigns/stats/enrollment-labels";
import type { EnrollmentHistory, MessageView } from "@/lib/campaigns/stats/get-enrollment-history";
import { describeStep } from "./enrollment-state-badge";

const MESSAGE_TONES = { queued: "neutral", sending: "accent", sent: "green", failed: "red", skipped: "amber" } as const satisfies Record<
  MessageStatus,
  string
>;

const EVENT_LABELS: Record<EmailEventType, string> = {
  sent: "Accepted by the provider",
  delivered: "Delivered",
  delivery_delayed: "Delivery delayed",
  bounced: "Bounced",
  complained: "Marked as spam",
  opened: "Opened",
  clicked: "Clicked a link",
  failed: "Failed",
  suppressed: "Suppressed by the provider",
  received: "Reply received",
  unsubscribed: "Unsubscribed",
};

/** One lead's thread in a campaign, step by step. */
export function EnrollmentHistoryView({
  history,
  stepCount,
  showRuns,
}: {
  history: EnrollmentHistory;
  stepCount: number;
  showRuns: boolean;
}) {
  const { enrollment, messages, runs } = history;
  const ended = describeEndReason(enrollment.endCause, enrollment.stopReason);
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="min-w-0 space-y-4">
        {messages.length === 0 ? (
          <EmptyState icon={Mail} title="No email yet">
            The first email goes out when its step is due, inside the sending window.
          </EmptyState>
        ) : (
          messages.map((m) => <MessageCard key={m.id} message={m} />)
        )}
      </div>
      <aside aria-label="Sequence" className="space-y-4">
        <section aria-labelledby="sequence-state" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm">
          <h2 id="sequence-state" className="font-semibold text-zinc-900">
            Sequence
          </h2>
          <dl className="mt-2 space-y-2">
            <div>
              <dt className="text-xs text-zinc-500">Step</dt>
              <dd>{describeStep(enrollment.status, enrollment.nextStep, stepCount)}</dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Next email</dt>
              <dd>
                {enrollment.status === "active" && enrollment.nextSendAt ? <LocalTime value={enrollment.nextSendAt} withTime /> : "—"}
              </dd>
            </div>
            {ended ? (
              <div>
                <dt className="text-xs text-zinc-500">Why it ended</dt>
                <dd data-testid="end-reason">{ended}</dd>
              </div>
            ) : null}
          </dl>
          {!enrollment.leadDeleted ? (
            <Link
              href={`/leads/${enrollment.leadId}`}
              className="mt-3 inline-block text-xs font-medium text-accent-700 underline underline-offset-2"
            >
              Open the lead
            </Link>
          ) : null}
        </section>
        {showRuns ? (
          <section aria-labelledby="sequence-runs" className="rounded-lg border border-zinc-200 bg-white p-4 text-sm">
            <h2 id="sequence-runs" className="font-semibold text-zinc-900">
              Sequence runs
            </h2>
            {runs.length === 0 ? (
              <p className="mt-2 text-zinc-600">No run yet.</p>
            ) : (
              <ul className="mt-2 space-y-2" data-testid="sequence-runs">
                {runs.map((run) => (
                  <li key={run.id} className="flex flex-wrap items-center gap-2">
                    <Link href={`/jobs/${run.id}`} className="font-medium text-accent-700 underline underline-offset-2">
                      Run {run.generation > 1 ? `(resumed ×${run.generation - 1})` : ""}
                    </Link>
                    <RunStatusBadge status={run.status} />
                    <span className="text-xs text-zinc-500">
                      <LocalTime value={run.createdAt} withTime />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </aside>
    </div>
  );
}

function MessageCard({ message: m }: { message: MessageView }) {
  return (
    <article
      aria-labelledby={`message-${m.id}`}
      className="rounded-lg border border-zinc-200 bg-white p-4"
      data-testid="enrollment-message"
    >
      <header className="flex flex-wrap items-center gap-2">
        <h2 id={`message-${m.id}`} className="text-sm font-semibold text-zinc-900">
          Step {m.stepPosition}
          {m.variantLabel ? ` · variant ${m.variantLabel}` : ""}
        </h2>
        <Badge tone={MESSAGE_TONES[m.status]}>{MESSAGE_STATUS_LABELS[m.status]}</Badge>
        <span className="text-xs text-zinc-500">
          <LocalTime value={m.sentAt ?? m.createdAt} withTime />
        </span>
      </header>
      {m.subject ? <p className="mt-1 text-sm text-zinc-800">{m.subject}</p> : null}
      {m.toEmail ? <p className="text-xs text-zinc-500">to {m.toEmail}</p> : null}
      {m.reason ? <p className="mt-2 rounded bg-amber-50 p-2 text-sm text-amber-900">{m.reason}</p> : null}
      {m.events.length > 0 ? (
        <ol className="mt-3 space-y-1 border-l border-zinc-200 pl-3 text-sm" aria-label="What happened to this email">
          {m.events.map((e) => (
            <li key={e.id}>
              <span className="font-medium text-zinc-800">{EVENT_LABELS[e.type]}</span>{" "}
              <span className="text-xs text-zinc-500">
                <LocalTime value={e.occurredAt} withTime />
              </span>
              {e.detail ? <span className="block break-all text-xs text-zinc-600">{e.detail}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {m.replies.map((r) => (
        <section
          key={r.id}
          aria-label={`Reply from ${r.fromAddress}`}
          className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 p-3"
        >
          <p className="text-xs text-emerald-900">
            Reply from {r.fromAddress}, <LocalTime value={r.receivedAt} withTime />
            {r.subject ? ` · ${r.subject}` : ""}
          </p>
          {/* A stranger wrote this: rendered as text, never as HTML. */}
          <pre
            tabIndex={0}
            data-testid="reply-text"
            className="mt-2 max-h-64 overflow-auto font-sans text-sm whitespace-pre-wrap text-zinc-900"
          >
            {r.text ?? "(no text part)"}
          </pre>
        </section>
      ))}
    </article>
  );
}
