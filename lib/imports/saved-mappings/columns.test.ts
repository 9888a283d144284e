import { describe, expect, it } from "vitest";
import { applySavedColumns, toSavedColumns, toStoredColumns, ZSavedColumns, ZStoredColumns } from "./columns";

const email = { kind: "field", field: "email" } as const;
const first = { kind: "field", field: "first_name" } as const;
const segment = { kind: "custom", key: "segment" } as const;
const ignore = { kind: "ignore" } as const;

describe("toSavedColumns", () => {
  it("names each column's target by its header, skipping blank headers and repeats", () => {
    expect(toSavedColumns(["Email", "", "Vorname", "Email", " Segment "], [email, first, first, ignore, segment])).toEqual([
      { header: "Email", target: email },
      { header: "Vorname", target: first },
      { header: "Segment", target: segment },
    ]);
  });
});

describe("applySavedColumns", () => {
  const saved = [
    { header: "Work Email", target: email },
    { header: "Vorname", target: first },
    { header: "Segment", target: segment },
    { header: "Notes", target: ignore },
  ];

  it("follows the headers whatever their order, and ignores columns the mapping does not name", () => {
    expect(applySavedColumns(["Segment", "Other", "Work Email", "Vorname"], saved)).toEqual([segment, ignore, email, first]);
  });

  it("finds a header written differently (case, spacing, punctuation)", () => {
    expect(applySavedColumns(["work-email", "VORNAME"], saved)).toEqual([email, first]);
  });

  it("fills a field once when a header repeats or two spellings of it are present", () => {
    expect(applySavedColumns(["Work Email", "Work Email", "work email", ""], saved)).toEqual([email, ignore, ignore, ignore]);
  });

  it("keeps a field's fallback columns, and makes the first the main one when the file lacks the main column", () => {
    const phone = { kind: "field", field: "phone" } as const;
    const phoneFallback = { kind: "field", field: "phone", fallback: true } as const;
    const phones = [
      { header: "Work Direct Phone", target: phone },
      { header: "Mobile Phone", target: phoneFallback },
      { header: "Corporate Phone", target: phoneFallback },
      { header: "Email", target: email },
    ];
    expect(applySavedColumns(["Email", "Corporate Phone", "Mobile Phone", "Work Direct Phone"], phones)).toEqual([
      email,
      phoneFallback,
      phoneFallback,
      phone,
    ]);
    expect(applySavedColumns(["Email", "Mobile Phone", "Corporate Phone"], phones)).toEqual([email, phone, phoneFallback]);
  });

  it("round-trips with toSavedColumns", () => {
    const headers = ["Email", "Vorname", "Segment", "Junk"];
    const columns = [email, first, segment, ignore];
    expect(applySavedColumns(headers, toSavedColumns(headers, columns))).toEqual(columns);
  });
});

describe("headers that are names of Object.prototype", () => {
  const headers = ["Email", "__proto__", "constructor", "toString", "hasOwnProperty"];
  const columns = [
    email,
    { kind: "custom", key: "proto" },
    { kind: "custom", key: "constructor" },
    { kind: "custom", key: "tostring" },
    ignore,
  ] as const;

  it("are saved, checked, stored, read back and applied like any other, and no prototype changes", () => {
    const saved = toSavedColumns(headers, [...columns]);
    expect(saved.map((c) => c.header)).toEqual(headers);
    // As the action receives it (JSON), and as the table gives it back.
    const parsed = ZSavedColumns.parse(JSON.parse(JSON.stringify(saved)));
    const stored = JSON.parse(JSON.stringify(toStoredColumns(parsed))) as unknown;
    expect(Object.keys(stored as object)).toEqual(headers);
    const read = ZStoredColumns.parse(stored);
    expect(read).toEqual(saved);
    expect(applySavedColumns(headers, read)).toEqual(columns);
    expect(Object.getPrototypeOf(toStoredColumns(read))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).kind).toBeUndefined();
  });

  it("do not answer for a header the mapping does not name", () => {
    expect(applySavedColumns(["constructor", "toString", "__proto__"], [{ header: "Email", target: email }])).toEqual([
      ignore,
      ignore,
      ignore,
    ]);
  });
});

describe("ZSavedColumns", () => {
  it("refuses an empty mapping, a target that is not one, a blank header and a header named twice", () => {
    expect(ZSavedColumns.safeParse([]).success).toBe(false);
    expect(ZSavedColumns.safeParse([{ header: "Email", target: { kind: "field", field: "password" } }]).success).toBe(false);
    expect(ZSavedColumns.safeParse([{ header: "  ", target: email }]).success).toBe(false);
    const twice = ZSavedColumns.safeParse([
      { header: "Email", target: email },
      { header: "Email ", target: first },
    ]);
    expect(twice.error?.issues).toEqual([expect.objectContaining({ path: [1, "header"], message: expect.stringContaining("“Email”") })]);
    expect(ZSavedColumns.safeParse([{ header: "Email", target: email }]).success).toBe(true);
  });
});

describe("ZStoredColumns", () => {
  it("reads a mapping as the table holds it, and refuses what is not one", () => {
    expect(ZStoredColumns.parse({ Email: email, Vorname: first })).toEqual([
      { header: "Email", target: email },
      { header: "Vorname", target: first },
    ]);
    expect(ZStoredColumns.safeParse([{ header: "Email", target: email }]).success).toBe(false);
    expect(ZStoredColumns.safeParse({ Email: { kind: "field", field: "renamed" } }).success).toBe(false);
  });
});
