import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { withUserTx } from "@/db";
import { isAiConfigured, NO_MODEL_CONFIGURED } from "@/lib/ai/model";
import { getAiSettings, spentThisMonthUsd } from "@/lib/ai/settings";
import { env } from "@/lib/env";
import { AiSettingsForm } from "./ai-settings-form";

export const metadata: Metadata = { title: "AI" };

const usd = (value: number) =>
  value.toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });

export default async function AiSettingsPage() {
  const session = await requirePageSession("ai.manage");
  const scope = { workspaceId: session.current.workspaceId };
  const { settings, spent } = await withUserTx(session.claims, async (tx) => ({
    settings: await getAiSettings(tx, scope),
    spent: await spentThisMonthUsd(tx, scope),
  }));
  const e = env();
  const configured = isAiConfigured(e);
  return (
    <div className="max-w-4xl space-y-6">
      <section aria-labelledby="ai-model-title" className="rounded-lg border border-zinc-200 bg-white p-5 text-sm">
        <h2 id="ai-model-title" className="mb-2 text-sm font-semibold">
          Model
        </h2>
        {configured ? (
          <p data-testid="ai-model-status">
            Icebreakers, summaries, fit scores and reply reading use <strong>{settings.model ?? e.OPENAI_MODEL}</strong>{" "}
            {e.OPENAI_BASE_URL ? (
              <>
                on the OpenAI-compatible server at <code className="break-all">{e.OPENAI_BASE_URL}</code>
              </>
            ) : (
              "through OpenAI"
            )}
            .
          </p>
        ) : (
          <p role="status" data-testid="ai-model-status" className="rounded-md bg-amber-50 p-3 text-amber-900">
            {NO_MODEL_CONFIGURED}
          </p>
        )}
        <p className="mt-3 text-zinc-700" data-testid="ai-spend">
          This month: {usd(spent)} spent
          {settings.monthlyBudgetUsd === null
            ? ", no monthly budget set."
            : ` of the ${usd(settings.monthlyBudgetUsd)} budget (${usd(Math.max(0, settings.monthlyBudgetUsd - spent))} left).`}{" "}
          <Link href="/settings/ai-usage" className="text-blue-700 underline">
            Spend per day and feature
          </Link>
        </p>
      </section>
      <section aria-labelledby="ai-settings-title" className="rounded-lg border border-zinc-200 bg-white p-5">
        <h2 id="ai-settings-title" className="mb-3 text-sm font-semibold">
          Ideal customer, icebreakers, budget and prices
        </h2>
        <AiSettingsForm settings={settings} defaultModel={e.OPENAI_MODEL} />
      </section>
    </div>
  );
}
