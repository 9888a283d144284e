import { describe, expect, it } from "vitest";
import { parseAnalyticsRange } from "./range";

const NOW = new Date("2026-12-01T02:00:00Z");

describe("the analytics date range", () => {
  it("defaults to the last 30 days in the viewer's zone, today included", () => {
    const r = parseAnalyticsRange({ tz: "America/Los_Angeles" }, "UTC", NOW);
    // 02:00 UTC on 1 December is still 30 November in Los Angeles.
    expect(r).toMatchObject({ from: "2026-11-01", to: "2026-11-30", timeZone: "America/Los_Angeles", notices: [] });
    expect(r.start.toISOString()).toBe("2026-11-01T07:00:00.000Z");
    expect(r.end.toISOString()).toBe("2026-12-01T08:00:00.000Z");
  });

  it("swaps an inverted range and says so", () => {
    const r = parseAnalyticsRange({ from: "2026-06-10", to: "2026-06-01" }, "UTC", NOW);
    expect(r).toMatchObject({ from: "2026-06-01", to: "2026-06-10" });
    expect(r.notices).toEqual([expect.stringMatching(/swapped/)]);
  });

  it("cuts a range over two years to its last two years", () => {
    const r = parseAnalyticsRange({ from: "2020-01-01", to: "2026-06-01" }, "UTC", NOW);
    expect(r.from).toBe("2024-06-01");
    expect(r.notices).toEqual([expect.stringMatching(/at most two years/)]);
  });

  it("replaces malformed dates, zones and filters with the defaults, with a notice for each", () => {
    const r = parseAnalyticsRange(
      { from: "2026-02-30", to: "yesterday", tz: "Mars/Olympus", campaign: "1; drop table", source: "fax" },
      "Europe/Paris",
      NOW,
    );
    expect(r).toMatchObject({ to: "2026-12-01", from: "2026-11-02", timeZone: "Europe/Paris", filters: {} });
    expect(r.notices).toHaveLength(5);
  });

  it("keeps well-formed filters", () => {
    const id = "6f1c1a56-8f2e-4a43-9a52-2d2b6a4b8c11";
    expect(parseAnalyticsRange({ campaign: id, owner: id, identity: id, source: "apollo" }, "UTC", NOW).filters).toEqual({
      campaignId: id,
      ownerId: id,
      identityId: id,
      source: "apollo",
    });
  });
});
