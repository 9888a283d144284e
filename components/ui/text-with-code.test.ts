import { describe, expect, it } from "vitest";
import { codeSpans } from "./text-with-code";

describe("codeSpans", () => {
  it("puts the backticked parts at odd indexes and keeps the rest as text", () => {
    expect(codeSpans("Send `confirmBroad: true` for `gmail.com`.")).toEqual(["Send ", "confirmBroad: true", " for ", "gmail.com", "."]);
    expect(codeSpans("No code here")).toEqual(["No code here"]);
    expect(codeSpans("An unpaired ` stays text")).toEqual(["An unpaired ` stays text"]);
    expect(codeSpans("`<script>alert(1)</script>`")).toEqual(["", "<script>alert(1)</script>", ""]);
  });
});
