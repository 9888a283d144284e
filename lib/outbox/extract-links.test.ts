import { describe, expect, it } from "vitest";
import { extractLinks } from "./extract-links";

describe("extractLinks", () => {
  it("finds http(s) links, trims trailing punctuation and drops duplicates", () => {
    const text = "Accept: https://app.test/invite/abc?x=1. Or http://localhost:3000/login, then https://app.test/invite/abc?x=1";
    expect(extractLinks(text)).toEqual(["https://app.test/invite/abc?x=1", "http://localhost:3000/login"]);
  });

  it("ignores javascript: and other schemes", () => {
    expect(extractLinks("javascript:alert(1) mailto:a@b.c data:text/html,hi")).toEqual([]);
  });
});
