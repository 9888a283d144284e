import { describe, expect, it } from "vitest";
import { nulCharacterPaths } from "./nul-characters";

describe("nulCharacterPaths", () => {
  it("names every place a NUL character hides: a value, a key, an array item, at any depth", () => {
    const input = { title: "CEO\u0000", tags: ["ok", "b\u0000d"], custom: { "k\u0000ey": "v", fine: "v" }, n: 3, none: null };
    expect(nulCharacterPaths(input)).toEqual([["title"], ["tags", 1], ["custom", "k\u0000ey"]]);
    expect(nulCharacterPaths("\u0000")).toEqual([[]]);
  });
  it("finds nothing in text without one, in numbers, or in objects that are not plain data", () => {
    expect(nulCharacterPaths({ name: 'Zoë Müller, "Q1"', tab: "a\tb", at: new Date(0), size: 1 })).toEqual([]);
  });
});
