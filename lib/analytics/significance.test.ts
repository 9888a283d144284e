import { describe, expect, it } from "vitest";
import { normalCdf, pickWinningVariant, twoProportionZTest } from "./significance";

describe("two-proportion z-test", () => {
  it("matches textbook values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    // 60/500 against 40/500: pooled 0.10, SE = √(0.1·0.9·2/500) ≈ 0.01897, z ≈ 2.108, p ≈ 0.035.
    const t = twoProportionZTest({ successes: 60, trials: 500 }, { successes: 40, trials: 500 });
    expect("z" in t && t.z).toBeCloseTo(2.108, 3);
    expect("p" in t && t.p).toBeCloseTo(0.035, 3);
  });

  it("refuses to test when fewer than five replies or non-replies are expected on a side", () => {
    expect(twoProportionZTest({ successes: 2, trials: 20 }, { successes: 0, trials: 20 })).toEqual({ notEnoughData: true });
    expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 5, trials: 50 })).toEqual({ notEnoughData: true });
  });
});

describe("the winning variant", () => {
  it("is marked when its reply rate is significantly higher", () => {
    expect(
      pickWinningVariant([
        { label: "A", sent: 500, replied: 40 },
        { label: "B", sent: 500, replied: 60 },
      ]),
    ).toMatchObject({ kind: "winner", label: "B" });
  });

  it("is not marked when the difference could be chance", () => {
    expect(
      pickWinningVariant([
        { label: "A", sent: 200, replied: 20 },
        { label: "B", sent: 200, replied: 24 },
      ]),
    ).toMatchObject({ kind: "no_difference" });
  });

  it("is not marked on too little data, whatever the rates", () => {
    expect(
      pickWinningVariant([
        { label: "A", sent: 10, replied: 5 },
        { label: "B", sent: 10, replied: 0 },
      ]),
    ).toEqual({ kind: "not_enough_data" });
  });

  it("is not marked when a variant's replies in the range outnumber its sends (emails sent before the range)", () => {
    expect(
      pickWinningVariant([
        { label: "A", sent: 100, replied: 120 },
        { label: "B", sent: 1000, replied: 100 },
      ]),
    ).toEqual({ kind: "not_enough_data" });
  });

  it("holds each comparison to 0.05 divided by their number when there are more than two variants", () => {
    // B beats A and C at p ≈ 0.035 each: enough against one rival, not against two.
    const two = pickWinningVariant([
      { label: "A", sent: 500, replied: 40 },
      { label: "B", sent: 500, replied: 60 },
    ]);
    const three = pickWinningVariant([
      { label: "A", sent: 500, replied: 40 },
      { label: "B", sent: 500, replied: 60 },
      { label: "C", sent: 500, replied: 40 },
    ]);
    expect(two.kind).toBe("winner");
    expect(three.kind).toBe("no_difference");
  });

  it("says so when a step has one variant", () => {
    expect(pickWinningVariant([{ label: "A", sent: 900, replied: 90 }])).toEqual({ kind: "single_variant" });
  });
});
