import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { DeliveryState, WebhookDeliveryView } from "@/lib/outbox/list-deliveries";
import type { ReceivedEmail } from "@/lib/outbox/received";

const STATE: Record<DeliveryState, { tone: "green" | "neutral" | "amber" | "red"; label: string }> = {
  delivered: { tone: "green", label: "received by the app" },
  pending: { tone: "neutral", label: "queued" },
  retrying: { tone: "amber", label: "retrying" },
  failed: { tone: "red", label: "gave up" },
};

/** The webhook events the outbox sent the app about a message, and the replies it received. */
export function MessageEvents({ deliveries, replies }: { deliveries: WebhookDeliveryView[]; replies: ReceivedEmail[] }) {
  return (
    <div className="space-y-3">
      <section aria-labelledby="events-heading" className="space-y-1">
        <h3 id="events-heading" className="text-xs font-semibold text-zinc-700">
          Webhook events
        </h3>
        {deliveries.length === 0 ? (
          <p className="text-xs text-zinc-600">None yet.</p>
        ) : (
          <ul className="space-y-0.5 text-xs" aria-label="Webhook events">
            {deliveries.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center gap-2">
                <code>{d.eventType}</code>
                <Badge tone={STATE[d.state].tone}>{STATE[d.state].label}</Badge>
                <span className="text-zinc-600">
                  <LocalTime value={d.createdAt} withTime />
                </span>
                {d.state !== "delivered" && d.lastError ? (
                  <span className="text-zinc-600">
                    attempt {d.attempts}: {d.lastError}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {replies.length > 0 ? (
        <section aria-labelledby="replies-heading" className="space-y-1">
          <h3 id="replies-heading" className="text-xs font-semibold text-zinc-700">
            Replies
          </h3>
          <ul className="space-y-2 text-xs">
            {replies.map((r) => (
              <li key={r.id} className="rounded border border-zinc-200 p-2">
                <p className="text-zinc-600">
                  From {r.from}, <LocalTime value={new Date(r.created_at)} withTime />
                </p>
                <pre tabIndex={0} aria-label="Reply text" className="max-h-32 overflow-auto whitespace-pre-wrap">
                  {r.text}
                </pre>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
