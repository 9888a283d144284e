import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chooseVariant } from "./choose-variant";

const ab = [
  { label: "B", weight: 30 },
  { label: "A", weight: 70 },
];

describe("chooseVariant", () => {
  it("gives the same enrollment and step the same variant every time", () => {
    const key = { enrollmentId: randomUUID(), stepId: randomUUID() };
    const first = chooseVariant(ab, key);
    for (let i = 0; i < 20; i++) expect(chooseVariant(ab, key)).toBe(first);
  });

  it("splits leads by the weights", () => {
    const stepId = randomUUID();
    const counts: Record<string, number> = { A: 0, B: 0 };
    for (let i = 0; i < 10_000; i++) counts[chooseVariant(ab, { enrollmentId: randomUUID(), stepId })!.label]! += 1;
    expect(counts.A! / 10_000).toBeGreaterThan(0.67);
    expect(counts.A! / 10_000).toBeLessThan(0.73);
  });

  it("never picks a variant of weight 0, and takes the only one there is", () => {
    const key = { enrollmentId: randomUUID(), stepId: randomUUID() };
    for (let i = 0; i < 200; i++) {
      expect(
        chooseVariant(
          [
            { label: "A", weight: 0 },
            { label: "B", weight: 100 },
          ],
          { ...key, enrollmentId: randomUUID() },
        )?.label,
      ).toBe("B");
    }
    expect(chooseVariant([{ label: "A", weight: 100 }], key)?.label).toBe("A");
    expect(chooseVariant([], key)).toBeUndefined();
  });
});
