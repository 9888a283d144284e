import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { aiUsageReport } from "./usage-report";

/** "This month" for the fixture: March 2026 is within the page's two years. */
const DECEMBER = new Date("2026-12-01T12:00:00Z");

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture();
  const db = serviceDb();
  await db.execute(sql`update workspaces set time_zone = 'Europe/Berlin' where id = ${fx.a.id}`);
  const row = (feature: string, model: string, at: string, prompt: number, cached: number, completion: number, cost: number) =>
    db.execute(sql`insert into ai_usage (workspace_id, feature, model, prompt_tokens, cached_tokens, completion_tokens, cost_usd, outcome, created_at)
      values (${fx.a.id}, ${feature}::ai_feature, ${model}, ${prompt}, ${cached}, ${completion}, ${cost}, 'valid', ${at}::timestamptz)`);
  // 1 March 00:30 in Berlin is still 28 February in UTC: it is March's first day for this workspace.
  await row("enrichment", "gpt-4o-mini", "2026-02-28T23:30:00Z", 1000, 500, 100, 0.1);
  await row("enrichment", "llama3.1:8b", "2026-03-01T10:00:00Z", 800, 0, 90, 0);
  // 31 March 23:30 in Berlin (summer time from the 29th): the month's last day.
  await row("reply_classification", "gpt-4o-mini", "2026-03-31T21:30:00Z", 300, 0, 40, 0.05);
  // Outside March in Berlin, though inside it (or at its edge) in UTC.
  await row("enrichment", "gpt-4o-mini", "2026-03-31T22:30:00Z", 9, 0, 9, 7);
  await row("enrichment", "gpt-4o-mini", "2026-02-28T22:30:00Z", 9, 0, 9, 7);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

describe("the AI usage report", () => {
  it("sums a month by day in the workspace's time zone, by feature and by model", async () => {
    const report = await asUser(fx.a.members.sales_rep, (tx) => aiUsageReport(tx, { workspaceId: fx.a.id, month: "2026-03" }, DECEMBER));
    expect(report.timeZone).toBe("Europe/Berlin");
    expect(report.days).toHaveLength(31);
    expect(report.days[0]).toEqual({ day: "2026-03-01", costUsd: { enrichment: 0.1, reply_classification: 0 }, calls: 2 });
    expect(report.days[30]).toEqual({ day: "2026-03-31", costUsd: { enrichment: 0, reply_classification: 0.05 }, calls: 1 });
    expect(report.days.slice(1, 30).every((d) => d.calls === 0)).toBe(true);
    expect(report.byFeature).toEqual([
      { feature: "enrichment", calls: 2, promptTokens: 1800, cachedTokens: 500, completionTokens: 190, costUsd: 0.1 },
      { feature: "reply_classification", calls: 1, promptTokens: 300, cachedTokens: 0, completionTokens: 40, costUsd: 0.05 },
    ]);
    expect(report.byModel.map((m) => [m.model, m.calls])).toEqual([
      ["gpt-4o-mini", 2],
      ["llama3.1:8b", 1],
    ]);
    expect(report.byModel[0]!.costUsd).toBeCloseTo(0.15, 10);
    expect(report.total).toMatchObject({ calls: 3, promptTokens: 2100 });
    expect(report.total.costUsd).toBeCloseTo(0.15, 10);
  });

  it("shows this month only up to today", async () => {
    const [now] = await serviceDb().execute<{ month: string; day: number }>(
      sql`select to_char(now() at time zone 'Europe/Berlin', 'YYYY-MM') as month, extract(day from now() at time zone 'Europe/Berlin')::int as day`,
    );
    const report = await asUser(fx.a.members.admin, (tx) => aiUsageReport(tx, { workspaceId: fx.a.id, month: now!.month }));
    expect(report.days).toHaveLength(now!.day);
  });

  it("shows this month, with a notice, for a month that cannot be shown", async () => {
    const report = await asUser(fx.a.members.admin, (tx) => aiUsageReport(tx, { workspaceId: fx.a.id, month: "March" }, DECEMBER));
    expect(report.month).toBe("2026-12");
    expect(report.range.notice).toBe('"March" is not a month like 2026-12: showing this month.');
  });

  it("is nothing to a viewer of the workspace or to another workspace's admin", async () => {
    for (const user of [fx.a.members.viewer, fx.b.members.admin]) {
      const report = await asUser(user, (tx) => aiUsageReport(tx, { workspaceId: fx.a.id, month: "2026-03" }, DECEMBER));
      expect(report.total.calls).toBe(0);
      expect(report.byModel).toEqual([]);
    }
  });
});
