import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { listLeads } from "./list-leads";
import { DEFAULT_LEAD_LIST_STATE, parseLeadListState, type LeadListState } from "./list-state";

/** The AI enrichment's fit score and icebreaker as columns of the lead table: sorted and filtered on the server. */
let fx: TenancyFixture;
const ids: Record<string, string> = {};
const list = (change: Partial<LeadListState>) =>
  asUser(fx.a.members.admin, (tx) =>
    listLeads(tx, { workspaceId: fx.a.id, userId: fx.a.members.admin.id, state: { ...DEFAULT_LEAD_LIST_STATE, ...change } }),
  );

beforeAll(async () => {
  fx = await createTenancyFixture();
  const rows: [string, number | null, string | null][] = [
    ["high", 91, "Zebra line"],
    ["mid", 55, "apple line"],
    ["low", 12, "Mango line"],
    ["none", null, null],
  ];
  for (const [name, fit, icebreaker] of rows) {
    ids[name] = await insertTestLead(fx.a, {
      firstName: name,
      enrichment:
        fit === null ? {} : { icebreaker, ai: { fitScore: fit, icebreaker, companySummary: "S.", fitReasons: [], model: "m", at: "x" } },
    });
  }
  // A forged score outside 0–100 (or not a number) is no score.
  await serviceDb().execute(sql`insert into leads (workspace_id, first_name, enrichment)
    values (${fx.a.id}, 'forged', '{"ai": {"fitScore": "99"}}'), (${fx.a.id}, 'huge', '{"ai": {"fitScore": 1e9}}')`);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

const names = (page: Awaited<ReturnType<typeof list>>) => page.rows.map((r) => r.firstName);

describe("lead table: AI columns", () => {
  it("shows the fit score and icebreaker, sorts by them (leads without one last when descending)", async () => {
    const byFit = await list({ sort: "fitScore", dir: "desc" });
    expect(names(byFit).slice(0, 3)).toEqual(["high", "mid", "low"]);
    expect(byFit.rows[0]).toMatchObject({ fitScore: 91, icebreaker: "Zebra line" });
    expect(byFit.rows.find((r) => r.firstName === "forged")).toMatchObject({ fitScore: null, icebreaker: null });
    const byIcebreaker = await list({ sort: "icebreaker", dir: "asc" });
    expect(names(byIcebreaker).slice(-3)).toEqual(["mid", "low", "high"]);
  });

  it("filters by a fit score range and by having an icebreaker, from the URL", async () => {
    const { state } = parseLeadListState(new URLSearchParams("fitMin=50&sort=fitScore&dir=asc"));
    expect(names(await list(state))).toEqual(["mid", "high"]);
    expect(names(await list(parseLeadListState(new URLSearchParams("fitMax=20")).state))).toEqual(["low"]);
    const without = names(await list(parseLeadListState(new URLSearchParams("hasIcebreaker=no&sort=name&dir=asc")).state));
    expect(without).toEqual(["forged", "huge", "none"]);
    expect((await list({ hasIcebreaker: true })).rows).toHaveLength(3);
  });
});
