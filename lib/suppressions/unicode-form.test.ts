import { describe, expect, it } from "vitest";
import { asciiSearchForm, unicodeForm } from "./unicode-form";

describe("unicodeForm", () => {
  it("shows an internationalised domain as people write it", () => {
    expect(unicodeForm("ann@xn--bcher-kva.de")).toBe("ann@bücher.de");
    expect(unicodeForm("xn--mnchen-3ya.example")).toBe("münchen.example");
  });

  it("is null for an entry shown as it is stored", () => {
    expect(unicodeForm("ann@example.com")).toBeNull();
    expect(unicodeForm("example.com")).toBeNull();
  });
});

describe("asciiSearchForm", () => {
  it("converts the labels typed in Unicode, keeping the rest", () => {
    expect(asciiSearchForm("bücher")).toBe("xn--bcher-kva");
    expect(asciiSearchForm("ann@bücher.de")).toBe("ann@xn--bcher-kva.de");
    expect(asciiSearchForm("münchen.example")).toBe("xn--mnchen-3ya.example");
  });

  it("is null for a search that is ASCII already", () => {
    expect(asciiSearchForm("bcher")).toBeNull();
    expect(asciiSearchForm("ann@")).toBeNull();
  });
});
