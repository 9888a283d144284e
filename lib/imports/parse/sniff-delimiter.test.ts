import { describe, expect, it } from "vitest";
import { sniffDelimiter } from "./sniff-delimiter";

describe("sniffing the delimiter", () => {
  it("prefers the delimiter that splits every record like the header, over one that is merely frequent", () => {
    // Commas are more frequent (decimal commas, a list) but vary from line to line.
    const sample = "Name;Revenue;Notes\nAcme;1,5;a, b, c\nGlobex;2,25;x\nInitech;3;\n";
    expect(sniffDelimiter(sample, true)).toBe(";");
  });

  it("ignores delimiters and newlines inside quoted values", () => {
    const sample = 'Name,Note\n"Lefèvre; Renée","one|two\nthree; four"\n"Núñez; José","a|b"\n';
    expect(sniffDelimiter(sample, true)).toBe(",");
  });

  it("leaves out a cut last record, and blank lines", () => {
    const sample = "a|b|c\n1|2|3\n\n4|5|6\n7|8";
    expect(sniffDelimiter(sample, false)).toBe("|");
  });

  it("reads a file of one column as comma-separated", () => {
    expect(sniffDelimiter("Email\na@x.test\nb@x.test\n", true)).toBe(",");
    expect(sniffDelimiter("", true)).toBe(",");
  });

  it("finds a tab in a header that also holds spaces and commas in quotes", () => {
    expect(sniffDelimiter('"Last, First"\tEmail Address\nDoe, Jane\tj@x.test\n', true)).toBe("\t");
  });
});
