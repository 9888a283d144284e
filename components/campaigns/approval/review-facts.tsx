import { describeAudience } from "./describe-audience";
import type { CampaignContent } from "@/lib/campaigns/content-hash";
import type { AudienceCounts } from "@/lib/campaigns/audience/resolve-audience";
import { EXCLUSION_REASONS, type ExclusionReason, type StoredAudience } from "@/lib/campaigns/types";

const n = (value: number) => value.toLocaleString("en-US");

/** Who it goes to and from whom, and the settings: the parts of the approved content that are not steps. */
export function ReviewFacts({
  audience,
  counts,
  content,
}: {
  audience: StoredAudience | null;
  counts: AudienceCounts;
  content: CampaignContent;
}) {
  const excluded = (Object.keys(EXCLUSION_REASONS) as ExclusionReason[]).filter((r) => counts.excluded[r] > 0);
  return (
    <section aria-labelledby="review-facts-title" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm">
      <h2 id="review-facts-title" className="text-sm font-semibold">
        Audience and sending
      </h2>
      <dl className="space-y-2">
        <div>
          <dt className="text-xs text-zinc-600">Audience</dt>
          <dd>{describeAudience(audience)}</dd>
          <dd className="text-zinc-700">
            {n(counts.eligible)} of {n(counts.matched)} matching leads will be emailed
          </dd>
          {excluded.length > 0 ? (
            <dd>
              <ul className="mt-1 space-y-0.5 text-xs text-zinc-600">
                {excluded.map((r) => (
                  <li key={r}>
                    {EXCLUSION_REASONS[r]}: {n(counts.excluded[r])}
                  </li>
                ))}
              </ul>
            </dd>
          ) : null}
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
