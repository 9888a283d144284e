import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

const ORIGIN = "http://localhost:3000";
const check = (value: string | null | undefined) => safeRedirectPath(value, ORIGIN);

describe("safeRedirectPath", () => {
  it("keeps a path on this site with its query and hash", () => {
    expect(check("/leads")).toBe("/leads");
    expect(check("/jobs?status=failed&range=24h#top")).toBe("/jobs?status=failed&range=24h#top");
    expect(check("/invite/abc%20def")).toBe("/invite/abc%20def");
    expect(check("/@evil.example")).toBe("/@evil.example");
  });

  it("reduces an absolute URL of this origin to its path", () => {
    expect(check("http://localhost:3000/leads?x=1#y")).toBe("/leads?x=1#y");
  });

  it("reads a scheme that is not a scheme as a harmless relative path", () => {
    expect(check("javascript%3Aalert(1)")).toBe("/javascript%3Aalert(1)");
  });

  it("refuses empty and missing values", () => {
    expect(check(undefined)).toBeNull();
    expect(check(null)).toBeNull();
    expect(check("")).toBeNull();
  });

  it.each([
    ["a tab", "/\t/evil.example/phish"],
    ["a newline", "/\n/evil.example/phish"],
    ["a carriage return", "/\r/evil.example/phish"],
    ["a NUL", "/\u0000/evil.example"],
    ["a backslash", "/\\evil.example"],
    ["a backslash pair", "\\\\evil.example"],
    ["a protocol-relative URL", "//evil.example/phish"],
    ["slash-backslash", "/\\/evil.example"],
    ["a dot segment that leaves //", "/.//evil.example"],
    ["a parent segment that leaves //", "/..//evil.example"],
    ["three slashes", "///evil.example"],
    ["an encoded tab", "/%09/evil.example/phish"],
    ["an encoded newline", "/%0a/evil.example/phish"],
    ["an encoded carriage return", "/%0D/evil.example/phish"],
    ["an encoded backslash", "/%5cevil.example"],
    ["an encoded double slash", "/%2f%2fevil.example"],
    ["an encoded slash after a slash", "/%2Fevil.example"],
    ["a double-encoded tab", "/%2509/evil.example"],
    ["a double-encoded double slash", "/%252f%252fevil.example"],
    ["userinfo with @", "http://localhost:3000@evil.example/"],
    ["protocol-relative userinfo", "//localhost:3000@evil.example/"],
    ["an absolute URL elsewhere", "https://evil.example/phish"],
    ["another port on this host", "http://localhost:4000/leads"],
    ["https on this host", "https://localhost:3000/leads"],
    ["a javascript: URL", "javascript:alert(document.cookie)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a leading space before //", " //evil.example"],
    ["malformed percent-encoding", "/%%%"],
  ])("refuses %s", (_name, value) => {
    expect(check(value)).toBeNull();
  });

  it("refuses very long values", () => {
    expect(check(`/${"a".repeat(5000)}`)).toBeNull();
  });
});
