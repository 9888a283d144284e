import { describe, expect, it } from "vitest";
import { pgArray } from "./pg-array";

describe("pgArray", () => {
  it("quotes every element, escapes quotes and backslashes, and writes NULL bare", () => {
    expect(pgArray(["a", 'say "hi", ok', "back\\slash", null, 7])).toBe('{"a","say \\"hi\\", ok","back\\\\slash",NULL,"7"}');
    expect(pgArray([])).toBe("{}");
  });
});
