import { LocalTime } from "@/components/ui/local-time";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import type { CampaignProgress } from "@/lib/campaigns/stats/campaign-progress";
import { ENROLLMENT_STATUS_LABELS } from "@/lib/campaigns/stats/enrollment-labels";
import { endSentence } from "./end-sentence";

const fmt = (n: number) => n.toLocaleString("en");

/** How far the campaign has got: a bar of finished enrollments, the counts, and when the next email goes. */
export function CampaignProgressPanel({ status, progress }: { status: CampaignStatus; progress: CampaignProgress }) {
  const { enrollments, messages } = progress;
  const finished = enrollments.total - enrollments.active;
  const percent = enrollments.total === 0 ? 0 : Math.round((finished / enrollments.total) * 100);
  return (
    <section aria-labelledby="campaign-progress" className="rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="campaign-progress" className="text-sm font-semibold text-zinc-900">
        Progress
      </h2>
      {progress.pause ? (
        <p role="status" className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900" data-testid="pause-reason">
          {progress.pause.bySystem ? "Paused automatically" : "Paused"}
          {progress.pause.at ? (
            <>
              {" "}
              on <LocalTime value={progress.pause.at} withTime />
            </>
          ) : null}
          {progress.pause.reason ? `: ${endSentence(progress.pause.reason)}` : "."} No email goes out until an admin resumes it.
        </p>
      ) : null}
      <div className="mt-3 flex items-center gap-3">
        <div
          role="progressbar"
          aria-label="Enrollments finished"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          className="h-2 flex-1 overflow-hidden rounded-full bg-zinc-100"
        >
          <div className="h-full rounded-full bg-accent-600" style={{ width: `${percent}%` }} />
        </div>
        <span className="text-sm tabular-nums text-zinc-700">
          {fmt(finished)} of {fmt(enrollments.total)} finished
        </span>
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4" data-testid="campaign-progress">
        {(["active", "completed", "stopped", "skipped"] as const).map((s) => (
          <div key={s}>
            <dt className="text-xs text-zinc-500">{ENROLLMENT_STATUS_LABELS[s]}</dt>
            <dd className="font-medium tabular-nums text-zinc-900">{fmt(enrollments[s])}</dd>
          </div>
        ))}
        <div>
          <dt className="text-xs text-zinc-500">Emails sent</dt>
          <dd className="font-medium tabular-nums text-zinc-900">{fmt(messages.sent)}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Failed</dt>
          <dd className="font-medium tabular-nums text-zinc-900">{fmt(messages.failed)}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Skipped at send time</dt>
          <dd className="font-medium tabular-nums text-zinc-900">{fmt(messages.skipped)}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-500">Next email</dt>
          <dd className="font-medium text-zinc-900">
            {progress.nextSendAt && status === "running" ? <LocalTime value={progress.nextSendAt} withTime /> : "—"}
          </dd>
        </div>
      </dl>
      {status === "running" || status === "paused" ? <MailboxesToday mailboxes={progress.mailboxes} /> : null}
    </section>
  );
}

/** What each of its mailboxes sent today against its daily cap: at the cap, its next emails wait for its next sending day. */
function MailboxesToday({ mailboxes }: { mailboxes: CampaignProgress["mailboxes"] }) {
  if (mailboxes.length === 0) return null;
  return (
    <div className="mt-4 border-t border-zinc-100 pt-3 text-sm">
      <h3 className="text-xs text-zinc-500">Mailboxes today</h3>
      <ul className="mt-1 space-y-0.5">
        {mailboxes.map((m) => (
          <li key={m.fromEmail} className={m.sentToday >= m.dailyCap ? "text-amber-800" : "text-zinc-700"}>
            {m.fromEmail}: {fmt(m.sentToday)} of {fmt(m.dailyCap)} sent ({m.timeZone})
            {m.sentToday >= m.dailyCap ? ", at its daily cap: its next emails wait for its next sending day" : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
