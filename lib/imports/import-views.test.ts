import { describe, expect, it } from "vitest";
import { reasonInWords, withDetail } from "./import-views";

describe("withDetail", () => {
  it("says a reason once when the row's detail begins with its words", () => {
    const words = reasonInWords("failed", "malformed_row");
    const detail = `${words}: it has 7 values, the header has 6 columns.`;
    expect(withDetail(words, detail)).toBe(detail);
  });

  it("puts any other detail after the words, and gives the words alone without one", () => {
    const words = reasonInWords("failed", "invalid_email");
    expect(withDetail(words, '"Work Email" is not an email address')).toBe(`${words} ("Work Email" is not an email address)`);
    expect(withDetail(words, null)).toBe(words);
    expect(withDetail(words, "")).toBe(words);
  });
});
