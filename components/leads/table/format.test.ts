import { describe, expect, it } from "vitest";
import { formatLeadTotal } from "./format";

describe("formatLeadTotal", () => {
  it("shows a counted total exactly, with separators", () => {
    expect(formatLeadTotal({ kind: "exact", value: 1234 })).toBe("1,234 leads");
    expect(formatLeadTotal({ kind: "exact", value: 1 })).toBe("1 lead");
    expect(formatLeadTotal({ kind: "exact", value: 0 })).toBe("0 leads");
  });

  it("shows an estimate as 'about' and rounded", () => {
    expect(formatLeadTotal({ kind: "estimate", value: 1_234_567 })).toBe("about 1.2M leads");
    expect(formatLeadTotal({ kind: "estimate", value: 48_200 })).toBe("about 48.2K leads");
  });
});
