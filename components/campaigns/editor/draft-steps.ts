import { MAX_STEPS, VARIANT_LABELS, type StepDraft, type VariantDraft } from "@/lib/campaigns/types";

/**
 * The editor's step and variant moves, pure so they are tested alone. A new step gets its id
 * here (crypto.randomUUID): the id stays the step's through every save.
 */

export function newStep(previous: StepDraft | undefined): StepDraft {
  return {
    id: crypto.randomUUID(),
    // The first email goes at enrollment; a follow-up waits three business days by default.
    delayDays: previous ? 3 : 0,
    delayHours: 0,
    businessDays: Boolean(previous),
    variants: [{ label: "A", weight: 100, subject: previous ? `Re: ${previous.variants[0]?.subject ?? ""}`.trim() : "", body: "" }],
  };
}

export function canAddStep(steps: StepDraft[]): boolean {
  return steps.length < MAX_STEPS;
}

/** Weights that share 100 as evenly as whole percentages allow, the first ones taking the rest. */
export function evenSplit(count: number): number[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 100 - base * count ? 1 : 0));
}

/** Adds the next letter, copying the first variant's text so the rep edits only what differs; weights split evenly. */
export function addVariant(step: StepDraft): StepDraft {
  const label = VARIANT_LABELS.find((l) => !step.variants.some((v) => v.label === l));
  if (!label) return step;
  const source = step.variants[0];
  const variants: VariantDraft[] = [...step.variants, { label, weight: 0, subject: source?.subject ?? "", body: source?.body ?? "" }];
  const weights = evenSplit(variants.length);
  return { ...step, variants: variants.map((v, i) => ({ ...v, weight: weights[i]! })) };
}

/** Removes a variant; the others are lettered again from A and share 100 evenly. */
export function removeVariant(step: StepDraft, label: string): StepDraft {
  const rest = step.variants.filter((v) => v.label !== label);
  if (rest.length === 0) return step;
  const weights = evenSplit(rest.length);
  return { ...step, variants: rest.map((v, i) => ({ ...v, label: VARIANT_LABELS[i]!, weight: weights[i]! })) };
}

export function moveStep(steps: StepDraft[], index: number, by: -1 | 1): StepDraft[] {
  const target = index + by;
  if (target < 0 || target >= steps.length) return steps;
  const next = [...steps];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

export function weightTotal(step: StepDraft): number {
  return step.variants.reduce((sum, v) => sum + v.weight, 0);
}
