import { SampleDataBadge } from "@/components/integrations/sample-data";
import { LocalTime } from "@/components/ui/local-time";
import type { LeadApolloEnrichmentView } from "@/lib/integrations/apollo/enrich-leads/read-lead-enrichments";
import { ENRICHED_FIELD_LABELS, ENRICHED_FIELDS } from "@/lib/integrations/apollo/enrich-leads/person-fields";

const OUTCOME: Record<LeadApolloEnrichmentView["outcome"], string> = {
  updated: "updated the lead",
  unchanged: "changed nothing",
  not_found: "found nobody in Apollo",
  skipped: "skipped",
};
const REASONS: Record<string, string> = {
  no_identifiers: "no email, LinkedIn URL or name and company domain to match by",
  not_permitted: "the lead belonged to another sales rep",
  deleted: "the lead was deleted",
};

/**
 * What Apollo's People Enrichment said about the lead, and when: each field's value, marked
 * when it was written to the lead (or left as it was, under "fill empty fields only").
 */
export function ApolloEnrichmentSection({ enrichments }: { enrichments: LeadApolloEnrichmentView[] }) {
  const [latest, ...older] = enrichments;
  if (!latest) return null;
  const fields = ENRICHED_FIELDS.filter((f) => latest.fields[f] !== undefined);
  return (
    <div className="mt-2" data-testid="apollo-enrichment">
      {latest.sandbox ? (
        <p className="mb-1.5 flex flex-wrap items-center gap-2 text-xs text-amber-900">
          <SampleDataBadge /> Invented by this app&apos;s Apollo sandbox, not read from Apollo.
        </p>
      ) : null}
      <p className="text-xs text-zinc-600">
        From Apollo, <LocalTime value={latest.enrichedAt} withTime /> ·{" "}
        {latest.mode === "overwrite" ? "overwrite" : "fill empty fields only"} · {OUTCOME[latest.outcome]}
        {latest.reason ? ` (${REASONS[latest.reason] ?? latest.reason})` : ""}
      </p>
      {fields.length > 0 ? (
        <dl className="mt-2 space-y-1 text-sm">
          {fields.map((field) => (
            <div key={field} className="grid grid-cols-[7rem_1fr] gap-2">
              <dt className="truncate text-zinc-500">{ENRICHED_FIELD_LABELS[field]}</dt>
              <dd className="break-words">
                {latest.fields[field]}
                <span className="ml-1.5 text-xs text-zinc-500">{latest.changed.includes(field) ? "· written" : "· kept the lead's"}</span>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {older.length > 0 ? (
        <ul className="mt-2 space-y-0.5 text-xs text-zinc-500">
          {older.map((e) => (
            <li key={e.enrichedAt.toISOString()}>
              Earlier{e.sandbox ? " (sandbox: sample data)" : ""}: <LocalTime value={e.enrichedAt} withTime /> · {OUTCOME[e.outcome]}
              {e.changed.length ? ` (${e.changed.map((f) => ENRICHED_FIELD_LABELS[f]).join(", ")})` : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
