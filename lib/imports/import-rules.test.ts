import { describe, expect, it } from "vitest";
import { ZImportRules } from "./types";

const rules = (tags: unknown) => ZImportRules.safeParse({ onMatch: "skip", owner: { kind: "none" }, tags });

describe("an import's tags", () => {
  it("are kept once whatever their case, first spelling first, as a lead holds them", () => {
    expect(rules(["Trade-Fair", " q4 ", "trade-fair", "Q4", "vip"]).data?.tags).toEqual(["Trade-Fair", "q4", "vip"]);
  });

  it("refuse what the table could not filter by (a comma, an empty or over-long tag), naming the tag", () => {
    for (const tag of ["berlin,munich", "   ", "x".repeat(51)]) {
      const parsed = rules([tag]);
      expect(parsed.success, tag).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["tags", 0]);
    }
  });

  it("are at most 20", () => {
    expect(rules(Array.from({ length: 21 }, (_, i) => `t${i}`)).success).toBe(false);
    expect(rules([]).success).toBe(true);
  });
});
