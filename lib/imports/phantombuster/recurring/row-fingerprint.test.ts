import { describe, expect, it } from "vitest";
import { rowFingerprinter } from "./row-fingerprint";

describe("rowFingerprinter", () => {
  it("knows a person again by their LinkedIn id, else profile URL in any case or form, else email, whatever the column order", () => {
    const a = rowFingerprinter(["profileUrl", "fullName", "vmid", "timestamp"]);
    const b = rowFingerprinter(["timestamp", "vmid", "fullName", "profileUrl"]);
    expect(a(["https://www.linkedin.com/in/x", "Zoë", "ACwAA1", "2026-11-01"])).toBe(b(["2026-12-01", "ACwAA1", "Zoë N.", "other"]));
    expect(a(["u", "Zoë", "ACwAA1", "t"])).not.toBe(a(["u", "Zoë", "ACwAA2", "t"]));

    const urls = rowFingerprinter(["defaultProfileUrl", "headline"]);
    expect(urls(["https://www.linkedin.com/in/Renee-Dubois/", "VP"])).toBe(urls(["linkedin.com/in/renee-dubois", "CEO"]));
    expect(urls(["https://www.linkedin.com/in/renee-dubois", "VP"])).not.toBe(urls(["https://www.linkedin.com/in/renee-d", "VP"]));

    const emails = rowFingerprinter(["professionalEmail", "name"]);
    expect(emails(["Zoe.NDiaye@Contoso.example", "a"])).toBe(emails(["zoe.ndiaye@contoso.example", "b"]));
  });

  it("falls back on every value of the row, trimmed, in any column order", () => {
    const a = rowFingerprinter(["company", "website"]);
    const b = rowFingerprinter(["website", "company"]);
    expect(a(["Acme, Inc.", "acme.example "])).toBe(b(["acme.example", "Acme, Inc."]));
    expect(a(["Acme, Inc.", "acme.example"])).not.toBe(a(["Acme", "Inc.,acme.example"]));
    expect(a(["x", "y"])).toMatch(/^[0-9a-f]{64}$/);
  });
});
