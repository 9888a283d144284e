import { describe, expect, it } from "vitest";
import { BROKEN_CHARACTER_MESSAGE, MAX_NESTING, NUL_CHARACTER_MESSAGE, TOO_DEEP_MESSAGE, unsavableText } from "./unsavable-text";

const paths = (value: unknown) => unsavableText(value).map((p) => p.path);

describe("unsavableText", () => {
  it("names every place a NUL character hides: a value, a key, an array item, at any depth", () => {
    const input = { title: "CEO\u0000", tags: ["ok", "b\u0000d"], custom: { "k\u0000ey": "v", fine: "v" }, n: 3, none: null };
    expect(unsavableText(input)).toEqual([
      { path: ["title"], message: NUL_CHARACTER_MESSAGE },
      { path: ["tags", 1], message: NUL_CHARACTER_MESSAGE },
      { path: ["custom", "k\u0000ey"], message: NUL_CHARACTER_MESSAGE },
    ]);
    expect(paths("\u0000")).toEqual([[]]);
  });

  it("names half of a surrogate pair, alone or at either end, but not a whole pair (an emoji)", () => {
    const input = { note: "hi \ud800", title: "\udc00CTO", tags: ["x\ud800"], ok: "Zoë 👋🏽", [`k\udbff`]: 1 };
    expect(unsavableText(input)).toEqual([
      { path: ["note"], message: BROKEN_CHARACTER_MESSAGE },
      { path: ["title"], message: BROKEN_CHARACTER_MESSAGE },
      { path: ["tags", 0], message: BROKEN_CHARACTER_MESSAGE },
      { path: ["k\udbff"], message: BROKEN_CHARACTER_MESSAGE },
    ]);
  });

  it("stops at the nesting limit, whatever the depth, without running out of stack", () => {
    const deep = JSON.parse("[".repeat(100_000) + "]".repeat(100_000)) as unknown;
    const [problem] = unsavableText(deep);
    expect(problem).toEqual({ path: Array(MAX_NESTING).fill(0), message: TOO_DEEP_MESSAGE });
    let ok: unknown = "leaf";
    for (let i = 0; i < MAX_NESTING; i++) ok = [ok];
    expect(unsavableText(ok)).toEqual([]);
  });

  it("finds nothing in text without one, in numbers, or in objects that are not plain data", () => {
    expect(unsavableText({ name: 'Zoë Müller, "Q1"', tab: "a\tb", at: new Date(0), size: 1 })).toEqual([]);
  });
});
