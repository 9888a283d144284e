import { describe, expect, it } from "vitest";
import { findLinks, spamSignals } from "./message-hints";

describe("findLinks", () => {
  it("finds each link once, without the sentence's punctuation, and ignores template markup", () => {
    const body = "See https://acme.test/pricing, and www.acme.test/demo.\nAgain: https://acme.test/pricing! {{ custom.url }}";
    expect(findLinks(body)).toEqual(["https://acme.test/pricing", "www.acme.test/demo"]);
    expect(findLinks("No links here.")).toEqual([]);
  });
});

describe("spamSignals", () => {
  it("flags subjects in capitals and with many exclamation marks", () => {
    expect(spamSignals("FREE DEMO FOR YOUR TEAM")).toEqual(["is written mostly in capitals"]);
    expect(spamSignals("Act now: FREE trial, LIMITED offer")).toEqual(["has several words in capitals"]);
    expect(spamSignals("Great news!!!")).toEqual(["has 3 exclamation marks"]);
    expect(spamSignals("LAST CHANCE!! Reply today")).toEqual(["has several words in capitals", "has 2 exclamation marks"]);
  });

  it("leaves ordinary subjects, acronyms and variables alone", () => {
    expect(spamSignals("Quick question about your CRM")).toEqual([]);
    expect(spamSignals("Hi {{ first_name | upcase }}, a note on ACME's SaaS plan!")).toEqual([]);
    expect(spamSignals("OK")).toEqual([]);
  });
});
