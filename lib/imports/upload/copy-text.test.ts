import { describe, expect, it } from "vitest";
import { copyRowLine } from "./copy-text";

describe("a row in COPY text format", () => {
  it("quotes every element and stacks the array literal's escaping under COPY's", () => {
    expect(copyRowLine("i", "w", 7, ["plain", "", "NULL", 'a"b', "back\\slash", "t\tn\nr\r", "{x,y}"])).toBe(
      'i\tw\t7\t{"plain","","NULL","a\\\\"b","back\\\\\\\\slash","t\\tn\\nr\\r","{x,y}"}\n',
    );
  });
});
