/**
 * Whether one A/B variant's reply rate is really better than another's: a two-sided
 * two-proportion z-test with a pooled standard error, at the 5 % level. The normal
 * approximation holds only with enough replies and non-replies on both sides, so below five
 * expected of either the test is not run and no winner is marked.
 */
export const SIGNIFICANCE_LEVEL = 0.05;
export const MIN_EXPECTED = 5;

export type Proportion = { successes: number; trials: number };
export type ZTest = { z: number; p: number } | { notEnoughData: true };

export function twoProportionZTest(a: Proportion, b: Proportion): ZTest {
  const n = a.trials + b.trials;
  if (a.trials === 0 || b.trials === 0) return { notEnoughData: true };
  // Counted by when each happened within a range (the Analytics page), replies can outnumber the
  // sends of that range: that is no proportion, and no test of one.
  if (a.successes > a.trials || b.successes > b.trials) return { notEnoughData: true };
  const pooled = (a.successes + b.successes) / n;
  const expectedTooSmall = [a.trials, b.trials].some((t) => t * pooled < MIN_EXPECTED || t * (1 - pooled) < MIN_EXPECTED);
  if (expectedTooSmall) return { notEnoughData: true };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const z = (a.successes / a.trials - b.successes / b.trials) / se;
  return { z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}

/** The standard normal CDF (Abramowitz and Stegun 7.1.26 through erf; error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export type VariantVerdict =
  | { kind: "winner"; label: string; p: number }
  | { kind: "no_difference"; p: number }
  | { kind: "not_enough_data" }
  | { kind: "single_variant" };

/**
 * The variant of a step whose reply rate beats every other variant's significantly. With
 * more than two variants each comparison of the best with another is held to 0.05 divided by
 * the number of comparisons (Bonferroni), so testing several does not make a winner easier.
 */
export function pickWinningVariant(variants: { label: string; sent: number; replied: number }[]): VariantVerdict {
  const tried = variants.filter((v) => v.sent > 0);
  if (variants.length < 2) return { kind: "single_variant" };
  if (tried.length < 2) return { kind: "not_enough_data" };
  const ranked = [...tried].sort((x, y) => y.replied / y.sent - x.replied / x.sent || x.label.localeCompare(y.label));
  const best = ranked[0]!;
  const level = SIGNIFICANCE_LEVEL / (ranked.length - 1);
  let worstP = 0;
  for (const other of ranked.slice(1)) {
    const test = twoProportionZTest({ successes: best.replied, trials: best.sent }, { successes: other.replied, trials: other.sent });
    if ("notEnoughData" in test) return { kind: "not_enough_data" };
    worstP = Math.max(worstP, test.p);
  }
  return worstP < level ? { kind: "winner", label: best.label, p: worstP } : { kind: "no_difference", p: worstP };
}
