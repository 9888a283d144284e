/**
 * The analytics CSV export as the route answers it: the file for a role with data.export, every
 * cell a spreadsheet would run as a formula neutralised (Instantly's campaign names come from the
 * vendor as typed there), refusals in words, and the workspace's exports per hour (set low here
 * through the variable an operator sets, read when this file first calls env()).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { type Session } from "@/lib/auth/session";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";
import { analyticsExportResponse } from "./export-response";

process.env.RATE_LIMIT_EXPORTS_PER_HOUR = "3";

let fx: TenancyFixture;
const RANGE = "from=2026-06-01&to=2026-06-04&tz=UTC";
const get = (session: Session | null, query: string) => analyticsExportResponse(session, new URLSearchParams(query));

/** An Instantly campaign of the workspace as the sync stores it, named `name` in Instantly, with one synced day. */
async function syncedCampaign(workspaceId: string, instantlyId: string, name: string, day: string, sent: number) {
  await serviceDb().execute(sql`insert into public.instantly_campaigns (workspace_id, instantly_id, raw)
    values (${workspaceId}, ${instantlyId}, ${JSON.stringify({ id: instantlyId, name })}::jsonb)`);
  const raw = { date: day, sent, unique_opened: 2, unique_replies: 1, unique_clicks: 0, opportunities: 0 };
  await serviceDb().execute(sql`insert into public.instantly_campaign_daily_analytics (workspace_id, campaign_id, day, raw)
    values (${workspaceId}, ${instantlyId}, ${day}, ${JSON.stringify(raw)}::jsonb)`);
}

beforeAll(async () => {
  fx = await createTenancyFixture();
  // One name a day, so the order of the rows does not depend on how the collation sorts punctuation.
  await syncedCampaign(fx.a.id, "inst-eq", '=HYPERLINK("http://evil.example")', "2026-06-01", 10);
  await syncedCampaign(fx.a.id, "inst-plus", "+33 Paris", "2026-06-02", 11);
  await syncedCampaign(fx.a.id, "inst-minus", "-2+3 Relance", "2026-06-03", 12);
  await syncedCampaign(fx.a.id, "inst-at", "@SUM(A1:A2)", "2026-06-04", 13);
  await syncedCampaign(fx.b.id, "inst-globex", "Globex only", "2026-06-02", 99);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

/** A route's refusal: 429, a Retry-After within the hour, and a sentence saying when. */
async function expectOverLimit(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  expect(await response.text()).toMatch(
    /^This workspace has exported 3 files within the last hour, the most allowed — try again in \d+ minutes\.$/,
  );
}

describe("the analytics CSV export", () => {
  it("gives an analyst the table as a CSV of their workspace, every formula-looking cell neutralised", async () => {
    const response = await get(await sessionOf(fx.a.members.analyst, fx.a.id), `table=instantly&${RANGE}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="analytics-instantly-${fx.a.slug}-2026-06-01-2026-06-04.csv"; filename*=UTF-8''analytics-instantly-${fx.a.slug}-2026-06-01-2026-06-04.csv`,
    );
    expect(response.headers.get("x-row-count")).toBe("4");
    const bytes = Buffer.from(await response.arrayBuffer());
    // UTF-8 with a BOM, so spreadsheets read accents right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.trimEnd().split("\n")).toEqual([
      "Day,Campaign,Sent,Unique opens,Unique replies,Unique clicks,Opportunities",
      `2026-06-01,"'=HYPERLINK(""http://evil.example"")",10,2,1,0,0`,
      "2026-06-02,'+33 Paris,11,2,1,0,0",
      "2026-06-03,'-2+3 Relance,12,2,1,0,0",
      "2026-06-04,'@SUM(A1:A2),13,2,1,0,0",
    ]);
    expect(text).not.toContain("Globex only");
  });

  it("refuses in words without a session, to a role without data.export, and for an unknown table", async () => {
    const none = await get(null, `table=funnel&${RANGE}`);
    expect(none.status).toBe(401);
    expect(await none.text()).toBe("Your session has ended. Log in again to export.");
    const viewer = await get(await sessionOf(fx.b.members.viewer, fx.b.id), `table=funnel&${RANGE}`);
    expect(viewer.status).toBe(403);
    expect(await viewer.text()).toBe("Your role cannot export analytics. Ask an admin for the analyst role or above.");
    const unknown = await get(await sessionOf(fx.b.members.analyst, fx.b.id), `table=leads&${RANGE}`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe("Say which table to export: funnel, daily, pipeline, reps, identities, sources, instantly.");
  });

  it("answers 429 with Retry-After past the workspace's hourly exports, whoever asks, and not another workspace", async () => {
    const viewer = await sessionOf(fx.b.members.viewer, fx.b.id);
    const analyst = await sessionOf(fx.b.members.analyst, fx.b.id);
    // Refusals before the limit (a role that cannot export, a table that does not exist) count nothing.
    for (let i = 0; i < 3; i++) {
      expect((await get(viewer, `table=funnel&${RANGE}`)).status).toBe(403);
      expect((await get(analyst, `table=nope&${RANGE}`)).status).toBe(400);
    }
    for (let i = 0; i < 3; i++) {
      const ok = await get(analyst, `table=instantly&${RANGE}`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("Globex only");
    }
    await expectOverLimit(await get(analyst, `table=instantly&${RANGE}`));
    await expectOverLimit(await get(await sessionOf(fx.b.members.admin, fx.b.id), `table=funnel&${RANGE}`));
    // Workspace A has used one of its three (the first test): its analyst still gets the file.
    expect((await get(await sessionOf(fx.a.members.analyst, fx.a.id), `table=funnel&${RANGE}`)).status).toBe(200);
  });
});
