import { domainToASCII } from "node:url";
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
  it("converts a whole label, and the start of the last one, keeping the rest", () => {
    expect(asciiSearchForm("ann@bücher.de")).toBe("ann@xn--bcher-kva.de");
    expect(asciiSearchForm("münchen.example")).toBe("xn--mnchen-3ya.example");
    // The start of a label is found in the label's ASCII form, whatever follows it.
    expect(asciiSearchForm("bücher")).toBe("xn--bcher");
    expect(domainToASCII("bücher-verlag.de")).toContain("xn--bcher");
    expect(asciiSearchForm("ann@bü")).toBe("ann@xn--b");
  });

  it("converts a label with no ASCII letter whole", () => {
    expect(asciiSearchForm("東京.example")).toBe(`${domainToASCII("東京")}.example`);
    expect(asciiSearchForm("東京")).toBe(domainToASCII("東京"));
  });

  it("is null for a search that is ASCII already", () => {
    expect(asciiSearchForm("bcher")).toBeNull();
    expect(asciiSearchForm("ann@")).toBeNull();
  });
});
