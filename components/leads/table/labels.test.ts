import { describe, expect, it } from "vitest";
import { codedValueLabel } from "./labels";

describe("codedValueLabel", () => {
  it("puts a vendor's seniority and department codes in words", () => {
    expect(codedValueLabel("c_suite")).toBe("C-suite");
    expect(codedValueLabel("vp")).toBe("VP");
    expect(codedValueLabel("director")).toBe("Director");
    expect(codedValueLabel("engineering_technical")).toBe("Engineering technical");
  });

  it("leaves what a person typed as typed, and nothing as nothing", () => {
    expect(codedValueLabel("Head of Growth")).toBe("Head of Growth");
    expect(codedValueLabel("R&D")).toBe("R&D");
    expect(codedValueLabel("ventes_équipe")).toBe("ventes_équipe");
    expect(codedValueLabel(null)).toBeNull();
  });
});
