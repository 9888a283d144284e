import { describe, expect, it } from "vitest";
import { normaliseSuppression } from "./normalise";

const entry = (raw: string, kind?: "email" | "domain") => {
  const result = normaliseSuppression(raw, kind);
  return result.ok ? result.entry : result.error;
};

describe("normaliseSuppression", () => {
  it("lower-cases and trims addresses, and reads mailto: links", () => {
    expect(entry("  Ann.Lee@Example.COM ")).toEqual({ kind: "email", value: "ann.lee@example.com" });
    expect(entry("mailto:Bob@example.org")).toEqual({ kind: "email", value: "bob@example.org" });
    expect(entry("ann+news@example.com", "email")).toEqual({ kind: "email", value: "ann+news@example.com" });
  });

  it("reads a domain bare, as @domain or *@domain, with or without a final dot", () => {
    expect(entry("Example.com")).toEqual({ kind: "domain", value: "example.com" });
    expect(entry("@example.co.uk")).toEqual({ kind: "domain", value: "example.co.uk" });
    expect(entry("*@Mail.Example.com.")).toEqual({ kind: "domain", value: "mail.example.com" });
    expect(entry("ann@example.com", "domain")).toBe("Not a domain (like example.com).");
  });

  it("refuses what is neither, formulas and URLs included, with a reason a person can act on", () => {
    expect(entry("")).toMatch(/^Empty/);
    expect(entry("   ")).toMatch(/^Empty/);
    expect(entry('=HYPERLINK("http://evil.example","x")')).toBe("Not a domain (like example.com).");
    expect(entry("=1+1@example.com")).toEqual({ kind: "email", value: "=1+1@example.com" });
    expect(entry("+33 1 23 45 67 89")).toBe("Not a domain (like example.com).");
    expect(entry("https://example.com/page")).toBe("Not a domain (like example.com).");
    expect(entry("localhost")).toBe("Not a domain (like example.com).");
    expect(entry("ann@localhost")).toBe("Not an email address (like name@example.com).");
    expect(entry("a@b@example.com")).toBe("Not an email address (like name@example.com).");
    expect(entry("Ann Lee <ann@example.com>")).toBe("Not an email address (like name@example.com).");
    expect(entry(`${"a".repeat(320)}@example.com`)).toMatch(/^Too long/);
  });

  it("stores an internationalised domain in its ASCII (punycode) form, the only form a lead's address can hold", () => {
    expect(entry("Ann@Bücher.de")).toEqual({ kind: "email", value: "ann@xn--bcher-kva.de" });
    expect(entry("ann@BÜCHER.de", "email")).toEqual({ kind: "email", value: "ann@xn--bcher-kva.de" });
    expect(entry("Bücher.de")).toEqual({ kind: "domain", value: "xn--bcher-kva.de" });
    expect(entry("*@münchen.example.")).toEqual({ kind: "domain", value: "xn--mnchen-3ya.example" });
    expect(entry("bücher.de", "domain")).toEqual({ kind: "domain", value: "xn--bcher-kva.de" });
    // Already ASCII: stays as it was written (lower-cased).
    expect(entry("ann@xn--bcher-kva.de")).toEqual({ kind: "email", value: "ann@xn--bcher-kva.de" });
    // A URL's delimiters in a Unicode domain are not read as a URL (no "evil.com" out of "evil.com/ü.org").
    expect(entry("ann@evil.com/ü.org")).toBe("Not an email address (like name@example.com).");
    expect(entry("ann@ü.example:25")).toBe("Not an email address (like name@example.com).");
  });

  it("removes invisible format characters (zero-width space, soft hyphen, BOM) pasted with an address", () => {
    expect(entry("ann\u200B@example.com")).toEqual({ kind: "email", value: "ann@example.com" });
    expect(entry("\uFEFFbob@exam\u00ADple.com\u200D")).toEqual({ kind: "email", value: "bob@example.com" });
    expect(entry("\u200Bexample.org")).toEqual({ kind: "domain", value: "example.org" });
    expect(entry("\u200B\u2060")).toMatch(/^Empty/);
  });

  it("refuses an address with letters outside ASCII before the @, saying why it could never match", () => {
    const refused = entry("jörg@example.com");
    expect(refused).toMatch(/before the @/);
    expect(entry("jörg@bücher.de", "email")).toBe(refused);
  });
});
