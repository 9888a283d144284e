import { describe, expect, it } from "vitest";
import { aiInsightOf } from "./ai-insight";

const answer = {
  icebreaker: "<img src=x onerror=alert(1)> A line.",
  companySummary: "One. Two.",
  fitScore: 72,
  fitReasons: ["Title", 5, "Country", "Size", "Extra"],
  model: "gpt-4o-mini",
  at: "2026-11-30T10:00:00.000Z",
};

describe("aiInsightOf", () => {
  it("reads the model's answer field by field, as text, keeping at most three string reasons", () => {
    expect(aiInsightOf({ icebreaker: answer.icebreaker, ai: answer })).toEqual({
      icebreaker: "<img src=x onerror=alert(1)> A line.",
      companySummary: "One. Two.",
      fitScore: 72,
      fitReasons: ["Title", "Country", "Size"],
      model: "gpt-4o-mini",
      at: "2026-11-30T10:00:00.000Z",
      sample: false,
    });
  });

  it("shows nothing from an answer that is not one: no score, a score out of range, a summary missing", () => {
    expect(aiInsightOf({})).toBeNull();
    expect(aiInsightOf({ ai: "text" })).toBeNull();
    expect(aiInsightOf({ ai: { ...answer, fitScore: "72" } })).toBeNull();
    expect(aiInsightOf({ ai: { ...answer, fitScore: 140 } })).toBeNull();
    expect(aiInsightOf({ ai: { ...answer, companySummary: "" } })).toBeNull();
  });

  it("says when the answer is the demo's sample, and drops a time that is not one", () => {
    expect(aiInsightOf({ ai: { ...answer, sample: true, at: "yesterday" } })).toMatchObject({ sample: true, at: null });
  });
});
