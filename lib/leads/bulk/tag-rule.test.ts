import { describe, expect, it } from "vitest";
import { ZTag } from "./schemas";
import { tagProblem, uniqueTags } from "./tag-rule";

describe("the tag rule", () => {
  it("accepts a trimmed tag up to 50 characters, accents included", () => {
    expect(tagProblem("  événement-paris ")).toBeNull();
    expect(tagProblem("x".repeat(50))).toBeNull();
  });

  it("names what is wrong with an empty, long or comma tag", () => {
    expect(tagProblem("   ")).toBe("A tag cannot be empty.");
    expect(tagProblem("x".repeat(51))).toBe("A tag has at most 50 characters.");
    expect(tagProblem("a,b")).toBe("A tag cannot contain a comma.");
  });

  it("is the rule ZTag applies on the server, after trimming", () => {
    expect(ZTag.parse("  vip ")).toBe("vip");
    for (const bad of ["", "a,b", "y".repeat(51)]) {
      const result = ZTag.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(tagProblem(bad));
    }
  });

  it("keeps each tag once whatever its case, with its first spelling, in order", () => {
    expect(uniqueTags(["qa-import", "VIP", "QA-Import", "vip", "Événement", "événement", "q4"])).toEqual([
      "qa-import",
      "VIP",
      "Événement",
      "q4",
    ]);
    expect(uniqueTags([])).toEqual([]);
  });
});
