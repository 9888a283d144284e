import { describe, expect, it } from "vitest";
import { DEFAULT_LEAD_LIST_STATE, leadListSearchParams, parseLeadListState, withFilters, type LeadListState } from "./list-state";

describe("lead list state in the URL", () => {
  it("round-trips a full state through the query string", () => {
    const state: LeadListState = {
      ...DEFAULT_LEAD_LIST_STATE,
      q: "zoë ångström",
      status: ["new", "interested"],
      owner: ["me", "unassigned", "6b1d7c5e-4f58-4f7e-9e0a-2d9b7c1f0a11"],
      source: ["csv"],
      tags: ["vip", "fintech"],
      tagMode: "all",
      scoreMin: 10,
      scoreMax: 90,
      hasEmail: false,
      emailStatus: ["valid"],
      sizeMin: 50,
      sizeMax: 500,
      industry: ["Software"],
      country: ["France", "Deutschland"],
      createdFrom: "2026-01-01",
      createdTo: "2026-02-01",
      activityFrom: "2026-03-01",
      activityTo: "2026-03-31",
      tz: "Europe/Paris",
      deleted: true,
      sort: "score",
      dir: "asc",
      pageSize: 100,
      cursor: "abc",
      before: true,
      columns: ["email", "name"],
    };
    const url = leadListSearchParams(state).toString();
    expect(parseLeadListState(new URLSearchParams(url))).toEqual({ state, notices: [], ignored: [] });
  });

  it("keeps an industry or a country with a comma in it whole, quoted in the link, and reads older unquoted links as before", () => {
    const state: LeadListState = {
      ...DEFAULT_LEAD_LIST_STATE,
      industry: ["Leisure, Travel & Tourism", "Retail"],
      country: ["Korea, Republic of"],
    };
    const params = leadListSearchParams(state);
    expect(params.get("industry")).toBe('"Leisure, Travel & Tourism",Retail');
    const parsed = parseLeadListState(new URLSearchParams(params.toString()));
    expect(parsed.notices).toEqual([]);
    expect(parsed.state).toMatchObject({ industry: ["Leisure, Travel & Tourism", "Retail"], country: ["Korea, Republic of"] });
    expect(parseLeadListState(new URLSearchParams("industry=Software,Retail")).state.industry).toEqual(["Software", "Retail"]);
  });
  it("writes nothing for the default state", () => {
    expect(leadListSearchParams(DEFAULT_LEAD_LIST_STATE).toString()).toBe("");
    expect(parseLeadListState({})).toEqual({ state: DEFAULT_LEAD_LIST_STATE, notices: [], ignored: [] });
  });

  it("drops malformed parameters one by one and names them", () => {
    const { state, notices, ignored } = parseLeadListState({
      status: "new,hacked",
      sort: "password",
      pageSize: "1000",
      scoreMin: "-5",
      q: "acme",
      tz: "Mars/Olympus",
      columns: "name,name",
    });
    expect(state).toEqual({ ...DEFAULT_LEAD_LIST_STATE, q: "acme" });
    expect(notices).toEqual([
      "Ignored a malformed status, minimum score, time zone, sort, page size, columns in the link; the rest of the view is applied.",
    ]);
    expect(ignored).toEqual(["status", "minimum score", "time zone", "sort", "page size", "columns"]);
  });

  it("drops an inverted range and a backwards page without a cursor", () => {
    const { state, notices } = parseLeadListState({ scoreMin: "80", scoreMax: "20", before: "1" });
    expect(state.scoreMin).toBeUndefined();
    expect(state.scoreMax).toBeUndefined();
    expect(state.before).toBe(false);
    expect(notices[0]).toContain("score range");
  });

  it("goes back to the first page when filters change", () => {
    const paged = { ...DEFAULT_LEAD_LIST_STATE, cursor: "abc", before: true };
    expect(withFilters(paged, { status: ["won"] })).toMatchObject({ status: ["won"], cursor: undefined, before: false });
  });
});
