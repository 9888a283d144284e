import { describe, expect, it } from "vitest";
import { formatCompanyTotal } from "./format";

describe("formatCompanyTotal", () => {
  it("says exact totals in full and estimates as 'about'", () => {
    expect(formatCompanyTotal({ kind: "exact", value: 1 })).toBe("1 company");
    expect(formatCompanyTotal({ kind: "exact", value: 2000 })).toBe("2,000 companies");
    expect(formatCompanyTotal({ kind: "estimate", value: 1_234_567 })).toBe("about 1.2M companies");
  });
});
