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
  /** Written by the demo seed, not by a model (lib/seed/demo-ai-insights.ts). */
  sample: boolean;
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
  return {
    icebreaker,
    companySummary,
    fitScore,
    fitReasons,
    model: text(a.model),
    at: at && !Number.isNaN(Date.parse(at)) ? at : null,
    sample: a.sample === true,
  };
}
