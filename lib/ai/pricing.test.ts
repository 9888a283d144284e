import { describe, expect, it } from "vitest";
import { billedPrice, costUsd, DEFAULT_MODEL_PRICES, priceOf, UnpricedModel } from "./pricing";
import { countPromptTokens, countTextTokens, tokenizerOf } from "./tokens";

describe("costUsd", () => {
  it("bills cached prompt tokens at the cached rate, the rest at the input rate, completions at the output rate", () => {
    const price = DEFAULT_MODEL_PRICES["gpt-4o-mini"]!;
    // 1,000,000 prompt tokens of which 400,000 cached, 100,000 completion tokens.
    expect(costUsd({ promptTokens: 1_000_000, cachedTokens: 400_000, completionTokens: 100_000 }, price)).toBeCloseTo(
      0.6 * 0.15 + 0.4 * 0.075 + 0.1 * 0.6,
      10,
    );
    expect(costUsd({ promptTokens: 10, cachedTokens: 0, completionTokens: 10 }, null)).toBe(0);
  });

  it("prices a dated snapshot as its family and knows nothing of a local model", () => {
    expect(priceOf("gpt-4o-mini-2024-07-18", DEFAULT_MODEL_PRICES)).toEqual(DEFAULT_MODEL_PRICES["gpt-4o-mini"]);
    expect(priceOf("llama3.1:8b", DEFAULT_MODEL_PRICES)).toBeNull();
  });
});

describe("token counting", () => {
  it("uses o200k_base for the 4o, 4.1, 5 and o families and cl100k_base for GPT-4 and 3.5", () => {
    expect(["gpt-4o-mini", "gpt-4.1-mini", "gpt-5-mini", "o4-mini", "llama3.1"].map(tokenizerOf)).toEqual(Array(5).fill("o200k_base"));
    expect(["gpt-4", "gpt-4-turbo", "gpt-3.5-turbo"].map(tokenizerOf)).toEqual(Array(3).fill("cl100k_base"));
    expect(countTextTokens("Zoë Müller, Head of Sales at Acme, Inc.", "gpt-4o-mini")).toBeGreaterThan(8);
  });

  it("counts a chat prompt as its messages, their framing and the response schema", () => {
    const messages = [
      { role: "system" as const, content: "You write one first line." },
      { role: "user" as const, content: "Lead: Ana" },
    ];
    const bare = countPromptTokens(messages, "gpt-4o-mini");
    expect(bare).toBe(
      3 +
        2 * 3 +
        countTextTokens("system", "gpt-4o-mini") +
        countTextTokens("user", "gpt-4o-mini") +
        countTextTokens("You write one first line.", "gpt-4o-mini") +
        countTextTokens("Lead: Ana", "gpt-4o-mini"),
    );
    expect(countPromptTokens(messages, "gpt-4o-mini", { type: "object" })).toBeGreaterThan(bare);
  });
});

describe("billedPrice", () => {
  it("refuses a model OpenAI bills that the table does not price, and lets a compatible server's run free", () => {
    expect(billedPrice("gpt-4o-mini-2024-07-18", DEFAULT_MODEL_PRICES, "openai")).toEqual(DEFAULT_MODEL_PRICES["gpt-4o-mini"]);
    expect(() => billedPrice("gpt-4o", DEFAULT_MODEL_PRICES, "openai")).toThrow(UnpricedModel);
    expect(billedPrice("llama3.1:8b", DEFAULT_MODEL_PRICES, "compatible")).toBeNull();
    expect(
      billedPrice("gpt-4o", { ...DEFAULT_MODEL_PRICES, "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 } }, "openai"),
    ).toMatchObject({
      input: 2.5,
    });
  });
});
