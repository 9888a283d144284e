import { LocalTime } from "@/components/ui/local-time";
import type { AiInsightView } from "./ai-insight";

/** The AI enrichment's answer for the lead, as text only (ai-insight.ts reads it from the lead's enrichment). */
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
      {insight.sample ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="ai-sample">
          Sample data: written by the demo seed from the lead&apos;s fields, not by a model. Enrich with AI to get a real answer.
        </p>
      ) : null}
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
