import { describe, expect, it } from "vitest";
import { applySavedColumns, toSavedColumns, ZSavedColumns } from "./columns";

const email = { kind: "field", field: "email" } as const;
const first = { kind: "field", field: "first_name" } as const;
const segment = { kind: "custom", key: "segment" } as const;
const ignore = { kind: "ignore" } as const;

describe("toSavedColumns", () => {
  it("names each column's target by its header, skipping blank headers and repeats", () => {
    expect(toSavedColumns(["Email", "", "Vorname", "Email", " Segment "], [email, first, first, ignore, segment])).toEqual({
      Email: email,
      Vorname: first,
      Segment: segment,
    });
  });
});

describe("applySavedColumns", () => {
  const saved = { "Work Email": email, Vorname: first, Segment: segment, Notes: ignore };

  it("follows the headers whatever their order, and ignores columns the mapping does not name", () => {
    expect(applySavedColumns(["Segment", "Other", "Work Email", "Vorname"], saved)).toEqual([segment, ignore, email, first]);
  });

  it("finds a header written differently (case, spacing, punctuation)", () => {
    expect(applySavedColumns(["work-email", "VORNAME"], saved)).toEqual([email, first]);
  });

  it("fills a field once when a header repeats or two spellings of it are present", () => {
    expect(applySavedColumns(["Work Email", "Work Email", "work email", ""], saved)).toEqual([email, ignore, ignore, ignore]);
  });

  it("round-trips with toSavedColumns", () => {
    const headers = ["Email", "Vorname", "Segment", "Junk"];
    const columns = [email, first, segment, ignore];
    expect(applySavedColumns(headers, toSavedColumns(headers, columns))).toEqual(columns);
  });
});

describe("ZSavedColumns", () => {
  it("refuses an empty mapping and a target that is not one", () => {
    expect(ZSavedColumns.safeParse({}).success).toBe(false);
    expect(ZSavedColumns.safeParse({ Email: { kind: "field", field: "password" } }).success).toBe(false);
    expect(ZSavedColumns.safeParse({ Email: email }).success).toBe(true);
  });
});
