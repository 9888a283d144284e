import { describe, expect, it } from "vitest";
import { parseSuppressionList, SUPPRESSION_IMPORT_MAX_ROWS, SuppressionListTooLong } from "./parse-suppression-list";

const outcomes = (text: string) =>
  parseSuppressionList(text).map((r) =>
    r.outcome === "valid"
      ? [r.row, r.entry.kind, r.entry.value]
      : r.outcome === "refused"
        ? [r.row, "refused", r.raw, r.error]
        : [r.row, "repeated", r.sameAs],
  );

describe("parseSuppressionList", () => {
  it("reads a plain list, one address or domain a line, blank lines skipped", () => {
    expect(outcomes("Ann@Example.com\n\n@blocked.example\r\nexample.org\n")).toEqual([
      [1, "email", "ann@example.com"],
      [2, "domain", "blocked.example"],
      [3, "domain", "example.org"],
    ]);
  });

  it("reads the email and domain columns named by a header, whatever else the file holds, with any delimiter", () => {
    expect(outcomes("First name;Email;Company\nAnn;ann@example.com;Acme\nBob;;Globex\n")).toEqual([
      [2, "email", "ann@example.com"],
      [3, "refused", "", "Empty: give an email address or a domain."],
    ]);
    expect(outcomes("Email\tDomain\nann@example.com\t\n\tblocked.example\n")).toEqual([
      [2, "email", "ann@example.com"],
      [3, "domain", "blocked.example"],
    ]);
  });

  it("refuses formulas and anything else that is no address or domain, row by row, keeping the rest", () => {
    expect(outcomes('email\n=HYPERLINK("http://evil.example","click")\n+1 555 0100\nann@example.com\n')).toEqual([
      [2, "refused", '=HYPERLINK("http://evil.example","click")', "Not a domain (like example.com)."],
      [3, "refused", "+1 555 0100", "Not a domain (like example.com)."],
      [4, "email", "ann@example.com"],
    ]);
  });

  it("takes off the apostrophe a formula-safe export put before a cell (our own exports included)", () => {
    expect(outcomes("'@blocked.example\n'-dash@example.com\n'plain.example\n")).toEqual([
      [1, "domain", "blocked.example"],
      [2, "email", "-dash@example.com"],
      [3, "refused", "'plain.example", "Not a domain (like example.com)."],
    ]);
  });

  it("marks a value repeated in the file (however it is written) with the row that has it first", () => {
    expect(outcomes("ann@example.com\nANN@example.com \nexample.com\n@Example.com\n")).toEqual([
      [1, "email", "ann@example.com"],
      [2, "repeated", 1],
      [3, "domain", "example.com"],
      [4, "repeated", 3],
    ]);
  });

  it("survives broken quoting by reading lines, and cuts long refused cells in what it shows", () => {
    expect(outcomes('"ann@example.com\nbob@example.com')).toEqual([
      [1, "refused", '"ann@example.com', "Not an email address (like name@example.com)."],
      [2, "email", "bob@example.com"],
    ]);
    const [long] = parseSuppressionList(`${"x".repeat(500)}\n`);
    expect(long!.raw).toHaveLength(121);
  });

  it("refuses a file of more rows than one import takes", () => {
    const text = Array.from({ length: SUPPRESSION_IMPORT_MAX_ROWS + 1 }, (_, i) => `a${i}@example.com`).join("\n");
    expect(() => parseSuppressionList(text)).toThrow(SuppressionListTooLong);
    expect(parseSuppressionList(text.split("\n").slice(1).join("\n"))).toHaveLength(SUPPRESSION_IMPORT_MAX_ROWS);
  });
});
