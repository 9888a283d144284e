import { describe, expect, it } from "vitest";
import { decodeCompanyCursor, encodeCompanyCursor } from "./cursor";
import { companyListHref, DEFAULT_COMPANY_LIST_STATE, parseCompanyListState, withSort, type CompanyListState } from "./list-state";

describe("company list state in the URL", () => {
  it("round-trips a full state and writes nothing for the default", () => {
    const state: CompanyListState = { q: "ångström", sort: "leads", dir: "asc", pageSize: 100, cursor: "abc", before: true };
    const href = companyListHref(state);
    expect(parseCompanyListState(new URL(href, "http://x").searchParams)).toEqual({ state, notices: [] });
    expect(companyListHref(DEFAULT_COMPANY_LIST_STATE)).toBe("/companies");
    expect(parseCompanyListState({})).toEqual({ state: DEFAULT_COMPANY_LIST_STATE, notices: [] });
  });

  it("drops each malformed parameter with one notice naming them, and keeps the rest", () => {
    const { state, notices } = parseCompanyListState({ q: "kestrel", sort: "revenue", dir: "sideways", pageSize: "7", before: "1" });
    expect(state).toEqual({ ...DEFAULT_COMPANY_LIST_STATE, q: "kestrel" });
    expect(notices).toEqual(["Ignored a malformed sort, sort direction, page size in the link; the rest of the list is applied."]);
    expect(parseCompanyListState({ q: "x".repeat(201) }).notices).toHaveLength(1);
  });

  it("drops a search or cursor holding a NUL, which PostgreSQL cannot take, with a notice", () => {
    const { state, notices } = parseCompanyListState(new URLSearchParams("q=acme%00&cursor=ab%00c&sort=leads"));
    expect(state).toEqual({ ...DEFAULT_COMPANY_LIST_STATE, sort: "leads" });
    expect(notices).toEqual(["Ignored a malformed search, page in the link; the rest of the list is applied."]);
  });

  it("sorts a new column in its natural direction and flips the current one, back on the first page", () => {
    const paged: CompanyListState = { ...DEFAULT_COMPANY_LIST_STATE, cursor: "abc", before: true };
    expect(withSort(paged, "leads")).toEqual({ ...DEFAULT_COMPANY_LIST_STATE, sort: "leads", dir: "desc" });
    expect(withSort(paged, "name")).toEqual({ ...DEFAULT_COMPANY_LIST_STATE, sort: "name", dir: "desc" });
  });
});

describe("company cursors", () => {
  const id = "6b1d7c5e-4f58-4f7e-9e0a-2d9b7c1f0a11";

  it("decode what they encoded, for the sort and direction they were written for only", () => {
    const cursor = { sort: "created" as const, dir: "desc" as const, value: "2026-03-01T10:00:00.123456Z", id };
    const raw = encodeCompanyCursor(cursor);
    expect(decodeCompanyCursor(raw, "created", "desc")).toEqual(cursor);
    expect(decodeCompanyCursor(raw, "created", "asc")).toBeNull();
    expect(decodeCompanyCursor(raw, "name", "desc")).toBeNull();
  });

  it("refuse anything else: garbage, wrong value types, timestamps without microseconds", () => {
    const forge = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    expect(decodeCompanyCursor("not-base64-json", "name", "asc")).toBeNull();
    expect(decodeCompanyCursor(forge({ s: "size", d: "asc", v: "big", i: id }), "size", "asc")).toBeNull();
    expect(decodeCompanyCursor(forge({ s: "created", d: "asc", v: "2026-03-01T10:00:00Z", i: id }), "created", "asc")).toBeNull();
    expect(decodeCompanyCursor(forge({ s: "name", d: "asc", v: "Kestrel", i: "1; drop table" }), "name", "asc")).toBeNull();
    expect(decodeCompanyCursor(forge({ s: "leads", d: "asc", v: 3, i: id }), "leads", "asc")).toEqual({
      sort: "leads",
      dir: "asc",
      value: 3,
      id,
    });
  });
});
