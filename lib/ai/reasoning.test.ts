import { describe, expect, it } from "vitest";
import { completionCap, isReasoningModel, REASONING_ALLOWANCE_TOKENS } from "./reasoning";

describe("reasoning models", () => {
  it("tells OpenAI's reasoning models by name, dated snapshots included, and not the chat or older models", () => {
    expect(
      ["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-mini-2025-08-07", "GPT-5.1", " gpt-5-nano "].map(isReasoningModel),
    ).toEqual(Array(8).fill(true));
    expect(["gpt-4o-mini", "gpt-4.1-mini", "gpt-5-chat-latest", "llama3.1", "gpt-oss:20b", "omni"].map(isReasoningModel)).toEqual(
      Array(6).fill(false),
    );
  });

  it("gives a reasoning model room for its reasoning beside the answer", () => {
    expect(completionCap("gpt-4o-mini", 400)).toBe(400);
    expect(completionCap("gpt-5-mini", 400)).toBe(400 + REASONING_ALLOWANCE_TOKENS);
  });
});
