import { audienceLabel } from "../audience-label";
import type { CampaignContent } from "@/lib/campaigns/content-hash";
import type { StoredAudience } from "@/lib/campaigns/types";

/** The audience rule, the identities and the settings: the parts of the approved content that are not steps (the counts are in the pre-flight panel). */
export function ReviewFacts({ audience, content }: { audience: StoredAudience | null; content: CampaignContent }) {
  return (
    <section aria-labelledby="review-facts-title" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm">
      <h2 id="review-facts-title" className="text-sm font-semibold">
        Audience and sending
      </h2>
      <dl className="space-y-2">
        <div>
          <dt className="text-xs text-zinc-600">Audience</dt>
          <dd>{audienceLabel(audience)}</dd>
        </div>
        <div>
          <dt className="text-xs text-zinc-600">Sending identities</dt>
          {content.identities.length === 0 ? <dd>None</dd> : null}
          {content.identities.map((i) => (
            <dd key={i.id}>
              {i.fromName} &lt;{i.fromEmail}&gt;
              {i.replyTo ? <span className="block text-xs text-zinc-600">Replies to {i.replyTo}</span> : null}
            </dd>
          ))}
        </div>
        <div>
          <dt className="text-xs text-zinc-600">Settings</dt>
          <dd>{content.stopOnReply ? "Stops for a lead who replies" : "Keeps sending after a reply"}</dd>
          <dd>{content.plainTextOnly ? "Plain text only" : "HTML and plain text"}</dd>
        </div>
      </dl>
    </section>
  );
}
