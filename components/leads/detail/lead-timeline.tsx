import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { describeActivity } from "@/lib/leads/describe-activity";
import type { LeadDetail } from "@/lib/leads/lead-detail-types";

/**
 * The lead's history, newest first. Every piece of user text (notes, field values) is rendered
 * as React text, never as HTML.
 */
export function LeadTimeline({ detail, olderHref }: { detail: LeadDetail; olderHref: string | null }) {
  const { entries } = detail.timeline;
  return (
    <section aria-labelledby="lead-timeline-heading">
      <h2 id="lead-timeline-heading" className="mb-2 text-sm font-semibold">
        Activity
      </h2>
      {entries.length === 0 ? <p className="text-sm text-zinc-500">Nothing has happened on this lead yet.</p> : null}
      <ol className="space-y-2" data-testid="lead-timeline">
        {entries.map((entry) => {
          const { actor, summary, body } = describeActivity(entry, detail.people);
          return (
            <li key={entry.id} className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-sm" data-activity-type={entry.type}>
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <p>
                  <span className="font-medium">{actor}</span> {summary}
                </p>
                <span className="text-xs text-zinc-500">
                  <LocalTime value={entry.createdAt} withTime />
                </span>
              </div>
              {body ? <p className="mt-1 whitespace-pre-wrap break-words text-zinc-700">{body}</p> : null}
            </li>
          );
        })}
      </ol>
      {olderHref ? (
        <Link href={olderHref} className="mt-2 inline-block text-sm text-accent-700 hover:underline">
          Show older activity
        </Link>
      ) : null}
    </section>
  );
}
