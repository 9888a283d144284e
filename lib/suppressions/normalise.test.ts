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
});
