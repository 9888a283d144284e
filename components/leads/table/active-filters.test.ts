import { describe, expect, it } from "vitest";
import { parseLeadListState, withFilters } from "@/lib/leads/list-state";
import { activeFilters, withoutFilters } from "./active-filters";

const owners: Record<string, string> = { me: "Me", unassigned: "Unassigned", "7d3f6c1e-8a4b-4c2d-9e0f-1a2b3c4d5e6f": "Zoë Ångström" };

describe("activeFilters", () => {
  it("names every filter a link applies, and nothing for the default view", () => {
    expect(activeFilters(parseLeadListState({}).state, (r) => owners[r]!)).toEqual([]);
    const { state } = parseLeadListState({
      q: "acme",
      status: "new,won",
      owner: "me,unassigned,7d3f6c1e-8a4b-4c2d-9e0f-1a2b3c4d5e6f",
      source: "csv",
      tags: "vip,q4",
      tagMode: "all",
      scoreMin: "40",
      hasEmail: "no",
      emailStatus: "risky",
      sizeMin: "10",
      sizeMax: "200",
      industry: "Software",
      country: "France,Brazil",
      createdFrom: "2026-01-01",
      activityTo: "2026-11-01",
      deleted: "1",
      sort: "score",
    });
    expect(activeFilters(state, (r) => owners[r]!).map((f) => f.label)).toEqual([
      "Search: “acme”",
      "Status: New, Won",
      "Owner: Me, Unassigned, Zoë Ångström",
      "Source: CSV",
      "Tags (all of): vip, q4",
      "Score ≥ 40",
      "No email",
      "Email: Risky",
      "Employees 10–200",
      "Industry: Software",
      "Country: France, Brazil",
      "Created ≥ 2026-01-01",
      "Last activity ≤ 2026-11-01",
      "Deleted leads",
    ]);
  });

  it("quotes an industry or a country that holds a comma, as the filter box does", () => {
    const { state } = parseLeadListState({ industry: '"Leisure, Travel & Tourism",Retail', country: '"Korea, Republic of"' });
    expect(activeFilters(state, (r) => owners[r]!).map((f) => f.label)).toEqual([
      'Industry: "Leisure, Travel & Tourism", Retail',
      'Country: "Korea, Republic of"',
    ]);
  });
  it("removes exactly its own filter", () => {
    const { state } = parseLeadListState({ status: "new", scoreMin: "10", scoreMax: "90", sort: "score" });
    const score = activeFilters(state, String).find((f) => f.id === "score")!;
    const next = withFilters(state, score.clear);
    expect(next).toMatchObject({ status: ["new"], sort: "score" });
    expect(next.scoreMin).toBeUndefined();
    expect(next.scoreMax).toBeUndefined();
  });

  it("clears every filter but keeps sort, page size and columns", () => {
    const { state } = parseLeadListState({ q: "x", status: "new", deleted: "1", sort: "score", pageSize: "100", columns: "name,score" });
    const cleared = withFilters(state, withoutFilters(state));
    expect(activeFilters(cleared, String)).toEqual([]);
    expect(cleared).toMatchObject({ sort: "score", pageSize: 100, columns: ["name", "score"] });
  });
});
