import { createHash } from "node:crypto";

export type WeightedVariant = { label: string; weight: number };

/**
 * The A/B variant a lead gets for a step: chosen by the variants' weights (percentages), and
 * the same every time for the same enrollment and step, so a retry, a replay or a resumed
 * run renders the same email. The enrollment and step ids are hashed to a point in [0, 100);
 * the variant whose cumulative weight range holds it wins. Labels in order (A, B, …); a split
 * whose weights do not add up to 100 (only possible in a draft) is scaled to its total.
 */
export function chooseVariant<V extends WeightedVariant>(
  variants: readonly V[],
  key: { enrollmentId: string; stepId: string },
): V | undefined {
  const ordered = [...variants].sort((a, b) => a.label.localeCompare(b.label));
  const total = ordered.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (ordered.length === 0) return undefined;
  if (total <= 0) return ordered[0];
  const point = unitInterval(`${key.enrollmentId}:${key.stepId}`) * total;
  let cumulative = 0;
  for (const variant of ordered) {
    cumulative += Math.max(0, variant.weight);
    if (point < cumulative) return variant;
  }
  return ordered.at(-1);
}

/** A stable, uniform number in [0, 1) from a string (the first 48 bits of its SHA-256). */
function unitInterval(text: string): number {
  return createHash("sha256").update(text).digest().readUIntBE(0, 6) / 2 ** 48;
}
