import { LocalTime } from "@/components/ui/local-time";

/**
 * The AI enrichment's answer for the lead (lib/ai/enrichment): the icebreaker, the company
 * summary, the fit score with its reasons, and which model answered when. Model output is
 * untrusted text: read field by field with its type checked, and rendered as text only.
 */
export type AiInsightView = {
  icebreaker: string;
  companySummary: string;
  fitScore: number;
  fitReasons: string[];
  model: string | null;
  at: string | null;
};

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);

export function aiInsightOf(enrichment: Record<string, unknown>): AiInsightView | null {
  const ai = enrichment.ai;
  if (!ai || typeof ai !== "object" || Array.isArray(ai)) return null;
  const a = ai as Record<string, unknown>;
  const icebreaker = text(a.icebreaker) ?? text(enrichment.icebreaker);
  const companySummary = text(a.companySummary);
  const fitScore = typeof a.fitScore === "number" && a.fitScore >= 0 && a.fitScore <= 100 ? Math.round(a.fitScore) : null;
  if (icebreaker === null || companySummary === null || fitScore === null) return null;
  const fitReasons = Array.isArray(a.fitReasons) ? a.fitReasons.filter((r): r is string => typeof r === "string").slice(0, 3) : [];
  const at = text(a.at);
  return { icebreaker, companySummary, fitScore, fitReasons, model: text(a.model), at: at && !Number.isNaN(Date.parse(at)) ? at : null };
}

export function AiInsightSection({ insight }: { insight: AiInsightView }) {
  return (
    <div className="mt-2 space-y-3 text-sm" data-testid="ai-insight">
      <div>
        <h3 className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Icebreaker</h3>
        <p className="mt-0.5 break-words" data-testid="ai-icebreaker">
          {insight.icebreaker}
        </p>
      </div>
      <div>
        <h3 className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Company summary</h3>
        <p className="mt-0.5 break-words text-zinc-700">{insight.companySummary}</p>
      </div>
      <div>
        <h3 className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Fit score</h3>
        <div className="mt-1 flex items-center gap-2">
          <div
            role="meter"
            aria-label="Fit score"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={insight.fitScore}
            className="h-2 w-32 overflow-hidden rounded-full bg-zinc-100"
          >
            <div className="h-full rounded-full bg-accent-600" style={{ width: `${insight.fitScore}%` }} />
          </div>
          <span className="font-medium tabular-nums" data-testid="ai-fit-score">
            {insight.fitScore}/100
          </span>
        </div>
        {insight.fitReasons.length > 0 ? (
          <ul className="mt-1 list-disc pl-5 text-zinc-700">
            {insight.fitReasons.map((reason, i) => (
              <li key={i} className="break-words">
                {reason}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p className="text-xs text-zinc-500">
        Written by {insight.model ?? "the AI model"}
        {insight.at ? (
          <>
            {" "}
            on <LocalTime value={insight.at} />
          </>
        ) : null}
        . Check it before you send it.
      </p>
    </div>
  );
}
