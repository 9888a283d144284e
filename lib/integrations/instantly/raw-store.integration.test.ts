import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import {
  readInstantlyCursor,
  storeInstantlyCampaigns,
  storeInstantlyDailyAnalytics,
  storeInstantlyLeads,
  writeInstantlyCursor,
} from "./raw-store";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

const rowsOf = (table: string, workspaceId: string) =>
  serviceDb().execute<{ instantly_id: string; raw: Record<string, unknown>; fetched_at: Date; email?: string }>(
    sql`select * from ${sql.identifier(table)} where workspace_id = ${workspaceId} order by instantly_id`,
  );

describe("the Instantly raw layer", () => {
  it("stores records as received, and a replay changes nothing, not even the fetch time", async () => {
    const db = serviceDb();
    const campaigns = [
      { id: "c1", name: "Q4 outreach", status: 1, some_new_field: { nested: [1, 2] } },
      { id: "c2", name: "Draft", status: 0 },
    ];
    expect((await storeInstantlyCampaigns(db, fx.a.id, campaigns)).length).toBe(2);
    const first = await rowsOf("instantly_campaigns", fx.a.id);
    expect(first.map((r) => r.raw)).toEqual(campaigns);

    expect((await storeInstantlyCampaigns(db, fx.a.id, structuredClone(campaigns).reverse())).length).toBe(0);
    expect(await rowsOf("instantly_campaigns", fx.a.id)).toEqual(first);

    expect((await storeInstantlyCampaigns(db, fx.a.id, [{ ...campaigns[0]!, status: 2 }])).length).toBe(1);
    const after = await rowsOf("instantly_campaigns", fx.a.id);
    expect(after[0]!.raw.status).toBe(2);
    expect(new Date(after[0]!.fetched_at).getTime()).toBeGreaterThanOrEqual(new Date(first[0]!.fetched_at).getTime());
    expect(after[1]).toEqual(first[1]);
    // Another workspace's same Instantly id is its own row.
    expect((await storeInstantlyCampaigns(db, fx.b.id, campaigns)).length).toBe(2);
  });

  it("keeps a lead's email normalised for linking, and one row per day of a campaign", async () => {
    const db = serviceDb();
    expect((await storeInstantlyLeads(db, fx.a.id, [{ id: "l1", email: "  Zoë.Ångström@ACME.example " }])).length).toBe(1);
    expect((await rowsOf("instantly_leads", fx.a.id))[0]!.email).toBe("zoë.ångström@acme.example");
    const days = [
      { date: "2026-11-01", sent: 3 },
      { date: "2026-11-02", sent: 5 },
    ];
    expect(await storeInstantlyDailyAnalytics(db, fx.a.id, "c1", days)).toBe(2);
    expect(await storeInstantlyDailyAnalytics(db, fx.a.id, "c1", [{ date: "2026-11-02", sent: 6 }, days[0]!])).toBe(1);
  });

  it("keeps one cursor per resource and workspace", async () => {
    const db = serviceDb();
    expect(await readInstantlyCursor(db, fx.a.id, "leads")).toBeUndefined();
    await writeInstantlyCursor(db, fx.a.id, "leads", "l1");
    await writeInstantlyCursor(db, fx.a.id, "leads", "l9");
    await writeInstantlyCursor(db, fx.a.id, "emails", "2026-11-01T00:00:00Z");
    expect(await readInstantlyCursor(db, fx.a.id, "leads")).toBe("l9");
    expect(await readInstantlyCursor(db, fx.b.id, "leads")).toBeUndefined();
  });
});

describe("the Instantly normalised views", () => {
  it("link Instantly leads to ours by address and read days as numbers, showing each member only their workspace", async () => {
    const db = serviceDb();
    const [ours] = await db.execute<{ id: string }>(sql`
      insert into leads (workspace_id, first_name, email) values (${fx.a.id}, 'Zoë', 'Linked@Acme.example') returning id`);
    await storeInstantlyLeads(db, fx.a.id, [
      { id: "link-1", email: "linked@acme.example", campaign: "c1", status: -1 },
      { id: "link-2", email: "nobody@acme.example", status: "odd" as unknown as number },
    ]);
    await storeInstantlyCampaigns(db, fx.a.id, [{ id: "c9", name: "Q4 days", status: 1 }]);
    await storeInstantlyDailyAnalytics(db, fx.a.id, "c9", [{ date: "2026-11-03", sent: 12, replies: 2, opened: "n/a" }]);

    const viewer = fx.a.members.viewer;
    const links = await asUser(viewer, (tx) =>
      tx.execute(sql`select instantly_id, email, campaign_id, instantly_status, lead_id from instantly_lead_links
        where instantly_id like 'link-%' order by instantly_id`),
    );
    expect(links).toEqual([
      { instantly_id: "link-1", email: "linked@acme.example", campaign_id: "c1", instantly_status: -1, lead_id: ours!.id },
      { instantly_id: "link-2", email: "nobody@acme.example", campaign_id: null, instantly_status: null, lead_id: null },
    ]);
    const [day] = await asUser(viewer, (tx) =>
      tx.execute(sql`select campaign_name, day::text, sent, replies, opened, clicks from instantly_campaign_days where campaign_id = 'c9'`),
    );
    expect(day).toEqual({ campaign_name: "Q4 days", day: "2026-11-03", sent: "12", replies: "2", opened: null, clicks: null });

    const other = fx.b.members.admin;
    expect(await asUser(other, (tx) => tx.execute(sql`select 1 from instantly_lead_links where workspace_id = ${fx.a.id}`))).toHaveLength(
      0,
    );
    expect(
      await asUser(other, (tx) => tx.execute(sql`select 1 from instantly_campaign_days where workspace_id = ${fx.a.id}`)),
    ).toHaveLength(0);
  });
});
