/**
 * What a model call costs, from the usage the server reports and the workspace's price table
 * (USD per million tokens). Browser-safe: the settings page and the estimate use it too.
 */
export type ModelPrice = { input: number; cachedInput: number; output: number };

export type AiUsage = {
  /** Every prompt token, the cached ones included (OpenAI counts them in prompt_tokens too). */
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
};

/**
 * List prices when this was written (vendors/apollo-phantombuster-openai.md §3.5; verify at
 * https://developers.openai.com/api/docs/pricing). Workspaces edit their own copy.
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
  "gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6 },
  "gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2 },
};

export const ZERO_USAGE: AiUsage = { promptTokens: 0, cachedTokens: 0, completionTokens: 0 };

export function addUsage(a: AiUsage, b: AiUsage): AiUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}

/**
 * The price of `model` in `prices`: its own entry, else the entry of the longest name it starts
 * with (a dated snapshot such as gpt-4o-mini-2024-07-18 is billed as gpt-4o-mini); null when
 * the table does not know it (a local model: free unless the workspace prices it).
 */
export function priceOf(model: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | null {
  if (Object.hasOwn(prices, model)) return prices[model]!;
  const family = Object.keys(prices)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family ? prices[family]! : null;
}

/** Cached prompt tokens at the cached rate, the rest of the prompt at the input rate, the completion at the output rate. */
export function costUsd(usage: AiUsage, price: ModelPrice | null): number {
  if (!price) return 0;
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const fresh = usage.promptTokens - cached;
  return (fresh * price.input + cached * price.cachedInput + usage.completionTokens * price.output) / 1_000_000;
}

/**
 * The price a budgeted call is counted at: `model`'s price, or null for a model the table does
 * not know on a compatible server (a local model, free unless the workspace prices it). On
 * OpenAI's own server every call is billed, so a model the table does not know is refused:
 * counted as free, it was never held by the monthly budget (gpt-4o with a $0.01 budget enriched
 * every lead asked for).
 */
export function billedPrice(
  model: string,
  prices: Readonly<Record<string, ModelPrice>>,
  provider: "openai" | "compatible",
): ModelPrice | null {
  const price = priceOf(model, prices);
  if (price || provider === "compatible") return price;
  throw new UnpricedModel(model);
}

export class UnpricedModel extends Error {
  constructor(readonly model: string) {
    super(
      `OpenAI bills ${model}, but this workspace's price table has no price for it, so the AI budget could not count what it spends. ` +
        `An admin adds its price per million tokens in Settings → AI, or chooses a model the table prices.`,
    );
    this.name = "UnpricedModel";
  }
}
