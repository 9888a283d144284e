import { describe, expect, it } from "vitest";
import { safeHref } from "./safe-href";

describe("safeHref", () => {
  it.each([
    ["https://acme.example/about", "https://acme.example/about"],
    ["http://acme.example", "http://acme.example/"],
    ["acme.example", "https://acme.example/"],
  ])("keeps the web link %s", (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>1</script>",
    "vbscript:x",
    "ftp://acme.example",
    "",
    null,
  ])("refuses %s", (input) => {
    expect(safeHref(input)).toBeNull();
  });
});
