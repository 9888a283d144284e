import { describe, expect, it } from "vitest";
import { addVariant, evenSplit, moveStep, newStep, removeVariant, weightTotal } from "./draft-steps";

describe("the editor's step moves", () => {
  it("splits 100 into whole percentages that add up", () => {
    expect(evenSplit(1)).toEqual([100]);
    expect(evenSplit(2)).toEqual([50, 50]);
    expect(evenSplit(3)).toEqual([34, 33, 33]);
    for (let n = 1; n <= 5; n++) expect(evenSplit(n).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it("adds variants up to E with the first one's text, and relabels after a removal", () => {
    let step = newStep(undefined);
    step = { ...step, variants: [{ ...step.variants[0]!, subject: 'Bonjour {{ first_name | default: "l\'équipe" }}' }] };
    for (let i = 0; i < 6; i++) step = addVariant(step);
    expect(step.variants.map((v) => v.label)).toEqual(["A", "B", "C", "D", "E"]);
    expect(step.variants[4]!.subject).toBe(step.variants[0]!.subject);
    expect(weightTotal(step)).toBe(100);
    const without = removeVariant(step, "B");
    expect(without.variants.map((v) => v.label)).toEqual(["A", "B", "C", "D"]);
    expect(without.variants.map((v) => v.weight)).toEqual([25, 25, 25, 25]);
    expect(removeVariant(removeVariant(removeVariant(removeVariant(without, "A"), "A"), "A"), "A").variants).toHaveLength(1);
  });

  it("keeps step ids when moving, and follows up three business days later by default", () => {
    const first = newStep(undefined);
    const second = newStep(first);
    expect(first).toMatchObject({ delayDays: 0, businessDays: false });
    expect(second).toMatchObject({ delayDays: 3, businessDays: true });
    expect(first.id).not.toBe(second.id);
    expect(moveStep([first, second], 1, -1).map((s) => s.id)).toEqual([second.id, first.id]);
    expect(moveStep([first, second], 0, -1)).toEqual([first, second]);
  });
});
