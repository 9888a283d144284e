import { LocalTime } from "@/components/ui/local-time";
import type { InstantlyDeliveryView } from "@/lib/integrations/instantly/push/delivery";
import { signatureNote } from "./instantly-signature-note";

const STATUS_WORDS: Record<string, string> = {
  pushing: "Being sent to Instantly",
  active: "Sending in Instantly",
  paused: "Paused in Instantly",
  stopped: "Stopped (paused for good in Instantly)",
  failed: "Sending to Instantly failed",
};

/** A campaign delivered through Instantly: where its push is, what Instantly took, and the last error. */
export function InstantlyDeliveryPanel({ view }: { view: InstantlyDeliveryView }) {
  if (view.delivery !== "instantly") return null;
  const push = view.push;
  return (
    <section
      aria-labelledby="instantly-delivery-title"
      className="rounded-lg border border-zinc-200 bg-white p-4 text-sm"
      data-testid="instantly-delivery"
    >
      <h2 id="instantly-delivery-title" className="font-semibold text-zinc-900">
        Delivered through Instantly
      </h2>
      {push ? (
        <dl className="mt-2 space-y-1 text-zinc-700">
          <div className="flex justify-between gap-2">
            <dt>Status</dt>
            <dd className="font-medium">
              <span role="status">{STATUS_WORDS[push.status] ?? push.status}</span>
            </dd>
          </div>
          <div className="flex justify-between gap-2">
            <dt>Leads added</dt>
            <dd>
              {push.leadsUploaded.toLocaleString("en")}
              {push.leadsDone ? "" : " so far"}
            </dd>
          </div>
          {push.leadsSkipped > 0 ? (
            <div className="flex justify-between gap-2">
              <dt>Not added (in another Instantly sequence, or refused by Instantly)</dt>
              <dd>{push.leadsSkipped.toLocaleString("en")}</dd>
            </div>
          ) : null}
          {push.leadsBlocked > 0 ? (
            <div className="flex justify-between gap-2">
              <dt>Left out (an empty variable without fallback)</dt>
              <dd>{push.leadsBlocked.toLocaleString("en")}</dd>
            </div>
          ) : null}
          {push.instantlyTimeZone ? (
            <div className="flex justify-between gap-2">
              <dt>Schedule time zone in Instantly</dt>
              <dd>{push.instantlyTimeZone}</dd>
            </div>
          ) : null}
          {push.activatedAt ? (
            <div className="flex justify-between gap-2">
              <dt>Activated</dt>
              <dd>
                <LocalTime value={push.activatedAt} withTime />
              </dd>
            </div>
          ) : null}
        </dl>
      ) : (
        <p className="mt-2 text-zinc-700" role="status">
          Waiting to be sent to Instantly.
        </p>
      )}
      {signatureNote(view.signature) ? (
        <p className="mt-2 text-xs text-zinc-600" data-testid="instantly-signature-note">
          {signatureNote(view.signature)}
        </p>
      ) : null}
      {push?.lastError ? (
        <p role="alert" className="mt-2 rounded-md bg-red-50 p-2 text-xs text-red-800">
          {push.lastError}
        </p>
      ) : null}
    </section>
  );
}
