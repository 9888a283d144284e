import { describe, expect, it } from "vitest";
import { withMainColumns, ZImportMapping, type ColumnTarget } from "./types";

const email: ColumnTarget = { kind: "field", field: "email" };
const phone: ColumnTarget = { kind: "field", field: "phone" };
const phoneFallback: ColumnTarget = { kind: "field", field: "phone", fallback: true };
const ignore: ColumnTarget = { kind: "ignore" };

const problems = (columns: ColumnTarget[]) => {
  const parsed = ZImportMapping.safeParse({ columns });
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe("an import mapping's columns", () => {
  it("may give a field fallback columns beside its main one", () => {
    expect(problems([email, phone, phoneFallback, phoneFallback])).toEqual([]);
    expect(problems([email, phoneFallback, phone])).toEqual([]);
  });

  it("refuse two main columns for one field or one custom field, naming both", () => {
    expect(problems([email, phone, phone])).toEqual(["Columns 2 and 3 both fill phone: keep one and ignore the other."]);
    expect(problems([email, { kind: "custom", key: "segment" }, { kind: "custom", key: "segment" }])).toEqual([
      "Columns 2 and 3 both fill custom field segment: keep one and ignore the other.",
    ]);
  });

  it("refuse a fallback whose field no column fills first", () => {
    expect(problems([email, ignore, phoneFallback])).toEqual([
      "Column 3 fills phone when another column is blank, but no column fills phone first.",
    ]);
  });

  it("need a main column for Email or LinkedIn URL", () => {
    expect(problems([phone, { kind: "field", field: "email", fallback: true }])).toContain(
      "Map a column to Email or LinkedIn URL: every lead needs one of them.",
    );
  });

  it("are mended by withMainColumns: a field left with fallbacks only gets its first as the main one", () => {
    expect(withMainColumns([email, phoneFallback, ignore, phoneFallback])).toEqual([email, phone, ignore, phoneFallback]);
    const whole = [email, phone, phoneFallback];
    expect(withMainColumns(whole)).toEqual(whole);
  });
});
