import { Sparkles } from "lucide-react";
import type { LeadApolloEnrichmentView } from "@/lib/integrations/apollo/enrich-leads/read-lead-enrichments";
import { aiInsightOf } from "./ai-insight";
import { AiInsightSection } from "./ai-insight-section";
import { ApolloEnrichmentSection } from "./apollo-enrichment-section";

/**
 * What enrichment knows about the lead: the AI enrichment's answer, Apollo's People Enrichment,
 * and any other data present (an import's vendor fields), listed as text.
 */
export function EnrichmentPanel({
  enrichment,
  apollo = [],
}: {
  enrichment: Record<string, unknown>;
  /** Apollo's People Enrichment of this lead, newest first. */
  apollo?: LeadApolloEnrichmentView[];
}) {
  const insight = aiInsightOf(enrichment);
  // The AI's answer has its own section; its keys are not listed again as raw data.
  const entries = Object.entries(enrichment).filter(([k, v]) => v !== null && v !== "" && !(insight && (k === "ai" || k === "icebreaker")));
  return (
    <section aria-labelledby="lead-enrichment-heading" className="rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="lead-enrichment-heading" className="flex items-center gap-2 text-sm font-semibold">
        <Sparkles aria-hidden className="size-4 text-zinc-500" /> Enrichment
      </h2>
      {insight ? <AiInsightSection insight={insight} /> : null}
      <ApolloEnrichmentSection enrichments={apollo} />
      {entries.length === 0 && (apollo.length > 0 || insight) ? null : entries.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-600" data-testid="enrichment-empty">
          Not enriched yet. Select the lead in the table and choose Enrich with AI for an icebreaker, a company summary and a fit score, or
          Enrich with Apollo for what Apollo knows (email, title, company facts); they appear here, with when they came.
        </p>
      ) : (
        <dl className="mt-2 space-y-1 text-sm">
          {entries.slice(0, 20).map(([key, value]) => (
            <div key={key} className="grid grid-cols-[8rem_1fr] gap-2">
              <dt className="truncate text-zinc-500">{key}</dt>
              <dd className="break-words">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
