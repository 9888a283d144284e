import type { CampaignContent } from "@/lib/campaigns/content-hash";
import { formatDelay } from "@/lib/campaigns/approval/describe-changes";

/** The sequence as it was submitted: each step's timing and every variant's subject and body, as written. */
export function ReviewSteps({ steps }: { steps: CampaignContent["steps"] }) {
  return (
    <section aria-labelledby="review-steps-title" className="space-y-3">
      <h2 id="review-steps-title" className="text-sm font-semibold">
        Steps
      </h2>
      {steps.length === 0 ? <p className="text-sm text-zinc-600">This campaign has no steps.</p> : null}
      <ol className="space-y-3">
        {steps.map((step) => (
          <li key={step.id} className="rounded-lg border border-zinc-200 bg-white">
            <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-zinc-100 px-4 py-2">
              <h3 className="text-sm font-medium">Step {step.position}</h3>
              <p className="text-xs text-zinc-600">Sent {timing(step)}</p>
            </div>
            <div className="divide-y divide-zinc-100">
              {step.variants.map((variant) => (
                <div key={variant.label} className="space-y-1 px-4 py-3">
                  {step.variants.length > 1 ? (
                    <p className="text-xs font-medium text-zinc-600">
                      Variant {variant.label} · {variant.weight}% of the step&apos;s leads
                    </p>
                  ) : null}
                  <p className="text-sm">
                    <span className="text-zinc-600">Subject: </span>
                    <span className="font-mono text-[13px]">{variant.subject || "(empty)"}</span>
                  </p>
                  <pre className="font-mono text-[13px] whitespace-pre-wrap text-zinc-800">{variant.body || "(empty body)"}</pre>
                </div>
              ))}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function timing(step: CampaignContent["steps"][number]): string {
  const after = step.position === 1 ? "after enrollment" : "after the previous step";
  if (!step.delayDays && !step.delayHours) return step.position === 1 ? "at enrollment" : "right after the previous step";
  return `${formatDelay(step)}${step.businessDays ? " (business days)" : ""} ${after}`;
}
