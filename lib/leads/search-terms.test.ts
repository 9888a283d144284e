import { describe, expect, it } from "vitest";
import { searchTerms } from "./list-filters";

describe("searchTerms", () => {
  it("splits on spaces, commas and semicolons, lower-cases, and drops repeats", () => {
    expect(searchTerms("Smith, John;  SMITH\tacme")).toEqual(["smith", "john", "acme"]);
  });

  it("drops the quotes around a word but keeps an apostrophe inside or at one end", () => {
    expect(searchTerms('"O\'Brien"')).toEqual(["o'brien"]);
    expect(searchTerms("“Müller” «Dupont» 'smith'")).toEqual(["müller", "dupont", "smith"]);
    expect(searchTerms("o'")).toEqual(["o'"]);
    expect(searchTerms("'")).toEqual(["'"]);
  });

  it("keeps the punctuation of an email fragment and gives nothing for quotes alone", () => {
    expect(searchTerms(".4@a-exam")).toEqual([".4@a-exam"]);
    expect(searchTerms('"" ,')).toEqual([]);
  });
});
