/**
 * Instantly's synced daily analytics in the analytics report (queryInstantlyDays), on a fixture
 * with known answers. Our campaign is joined by the push that launched it in Instantly
 * (instantly_campaign_pushes.instantly_campaign_id), never by name: a campaign made in Instantly
 * under the same name, in another case or without its accents, stays Instantly's own.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  asUser,
  claimsFor,
  createTenancyFixture,
  createTestUser,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { queryInstantlyDays, type InstantlyDay } from "./dimension-queries";
import { getAnalytics } from "./get-analytics";
import { parseAnalyticsRange } from "./range";

let fx: TenancyFixture;
/** An analyst of both workspaces (a consultant): RLS lets them read both, so only the queries' own scoping keeps them apart. */
let both: TenancyMember;
const db = serviceDb();
const RANGE = { from: "2026-06-01", to: "2026-06-03", tz: "UTC" };
/** Our campaigns: A's pushed to Instantly (`relance`, `printemps`), A's never pushed, and B's pushed. */
const ours = { relance: "", printemps: "", unpushed: "", globex: "" };

/** Launched `campaignId` through the workspace's Instantly account as Instantly campaign `instantlyId`, as the push job records it. */
async function pushed(workspaceId: string, campaignId: string, instantlyId: string) {
  const [account] = await db.execute<{ id: string }>(sql`
    insert into public.integration_accounts (workspace_id, vendor, secret_ciphertext, secret_key_id, key_last4, status)
    values (${workspaceId}, 'instantly', ${Buffer.alloc(40, 1).toString("base64")}, 'k1', 'wxyz', 'connected')
    on conflict (workspace_id, vendor) do update set status = excluded.status returning id`);
  await db.execute(sql`
    insert into public.instantly_campaign_pushes (workspace_id, campaign_id, account_id, content_hash, instantly_campaign_id, status, activated_at)
    values (${workspaceId}, ${campaignId}, ${account!.id}, 'hash', ${instantlyId}, 'active', now())`);
}

/** An Instantly campaign as the sync stores it (`name` as typed in Instantly). */
async function instantlyCampaign(workspaceId: string, instantlyId: string, name: string) {
  await db.execute(sql`insert into public.instantly_campaigns (workspace_id, instantly_id, raw)
    values (${workspaceId}, ${instantlyId}, ${JSON.stringify({ id: instantlyId, name })}::jsonb)`);
}

/** One day of Instantly's campaign analytics as the sync stores it (Instantly's field names). */
async function day(workspaceId: string, instantlyId: string, date: string, raw: Record<string, number>) {
  await db.execute(sql`insert into public.instantly_campaign_daily_analytics (workspace_id, campaign_id, day, raw)
    values (${workspaceId}, ${instantlyId}, ${date}, ${JSON.stringify({ date, ...raw })}::jsonb)`);
}

beforeAll(async () => {
  fx = await createTenancyFixture();
  const admin = fx.a.members.admin;
  ours.relance = (await createTestCampaign(fx.a.id, admin, { name: "Relance Été", submit: false })).campaignId;
  ours.printemps = (await createTestCampaign(fx.a.id, admin, { name: "Printemps", submit: false })).campaignId;
  ours.unpushed = (await createTestCampaign(fx.a.id, admin, { name: "Jamais poussée", submit: false })).campaignId;
  ours.globex = (await createTestCampaign(fx.b.id, fx.b.members.admin, { name: "Globex secret", submit: false })).campaignId;

  // Launched from here; Instantly has the campaign under a name of its own, which ours replaces.
  await pushed(fx.a.id, ours.relance, "inst-relance");
  await instantlyCampaign(fx.a.id, "inst-relance", "Relance Ete (copie Instantly)");
  await day(fx.a.id, "inst-relance", "2026-05-31", { sent: 100, unique_opened: 100 });
  // Unique counts where Instantly gives them...
  await day(fx.a.id, "inst-relance", "2026-06-01", {
    sent: 10,
    opened: 9,
    unique_opened: 5,
    replies: 3,
    unique_replies: 2,
    clicks: 4,
    unique_clicks: 1,
    opportunities: 1,
  });
  // ...the plain counts where it does not.
  await day(fx.a.id, "inst-relance", "2026-06-03", { sent: 20, opened: 7, replies: 1, clicks: 2 });
  await day(fx.a.id, "inst-relance", "2026-06-04", { sent: 100, unique_opened: 100 });

  await pushed(fx.a.id, ours.printemps, "inst-printemps");
  await instantlyCampaign(fx.a.id, "inst-printemps", "Printemps");
  await day(fx.a.id, "inst-printemps", "2026-06-02", { sent: 30, unique_opened: 6, unique_replies: 3, unique_clicks: 2, opportunities: 1 });

  // Made in Instantly itself, under our campaign's name in capitals, and without its accents.
  await instantlyCampaign(fx.a.id, "inst-capitals", "RELANCE ÉTÉ");
  await day(fx.a.id, "inst-capitals", "2026-06-02", { sent: 40, unique_opened: 8, unique_replies: 4, unique_clicks: 0, opportunities: 2 });
  await instantlyCampaign(fx.a.id, "inst-plain", "relance ete");
  await day(fx.a.id, "inst-plain", "2026-06-03", { sent: 3, unique_opened: 1, unique_replies: 0, unique_clicks: 0, opportunities: 0 });
  // Days synced before the campaign itself: named by Instantly's id.
  await day(fx.a.id, "inst-nameless", "2026-06-02", { sent: 5 });

  // Workspace B pushed to the same Instantly campaign id (one Instantly account connected to both).
  await pushed(fx.b.id, ours.globex, "inst-relance");
  await instantlyCampaign(fx.b.id, "inst-relance", "Globex secret");
  await day(fx.b.id, "inst-relance", "2026-06-01", {
    sent: 999,
    unique_opened: 999,
    unique_replies: 999,
    unique_clicks: 999,
    opportunities: 999,
  });

  const user = await createTestUser(db, { email: `consultant-${randomSuffix()}@both.test`, fullName: "Inès Consultant" });
  for (const workspaceId of [fx.a.id, fx.b.id]) {
    await db.execute(
      sql`insert into public.workspace_members (workspace_id, user_id, role) values (${workspaceId}, ${user.id}, 'analyst')`,
    );
  }
  both = { ...user, role: "analyst", memberId: "" };
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  if (both) await db.execute(sql`delete from auth.users where id = ${both.id}`);
});

const actor = (member: TenancyMember, workspaceId: string) => ({
  claims: claimsFor(member.id, member.email),
  workspaceId,
  role: member.role,
});
const instantlyOf = async (member: TenancyMember, workspaceId: string, params: Record<string, string> = {}) =>
  (await getAnalytics(actor(member, workspaceId), { ...RANGE, ...params })).instantly;
/** Rows in (day, Instantly id) order: the report orders a day's rows by name, which the collation decides. */
const sorted = (rows: InstantlyDay[]) =>
  [...rows].sort((x, y) => x.day.localeCompare(y.day) || x.instantlyCampaignId.localeCompare(y.instantlyCampaignId));

const relance = (day: string, counts: Pick<InstantlyDay, "sent" | "opened" | "replied" | "clicked" | "opportunities">): InstantlyDay => ({
  day,
  instantlyCampaignId: "inst-relance",
  campaignName: "Relance Été",
  campaignId: ours.relance,
  ...counts,
});
const relanceJune1 = () => relance("2026-06-01", { sent: 10, opened: 5, replied: 2, clicked: 1, opportunities: 1 });
const relanceJune3 = () => relance("2026-06-03", { sent: 20, opened: 7, replied: 1, clicked: 2, opportunities: 0 });

describe("Instantly's daily analytics in the report", () => {
  it("names our campaign for the days of the Instantly campaign it launched, and Instantly's own campaigns by their Instantly name", async () => {
    expect(sorted(await instantlyOf(fx.a.members.analyst, fx.a.id))).toEqual([
      relanceJune1(),
      {
        day: "2026-06-02",
        instantlyCampaignId: "inst-capitals",
        campaignName: "RELANCE ÉTÉ",
        campaignId: null,
        sent: 40,
        opened: 8,
        replied: 4,
        clicked: 0,
        opportunities: 2,
      },
      {
        day: "2026-06-02",
        instantlyCampaignId: "inst-nameless",
        campaignName: "inst-nameless",
        campaignId: null,
        sent: 5,
        opened: 0,
        replied: 0,
        clicked: 0,
        opportunities: 0,
      },
      {
        day: "2026-06-02",
        instantlyCampaignId: "inst-printemps",
        campaignName: "Printemps",
        campaignId: ours.printemps,
        sent: 30,
        opened: 6,
        replied: 3,
        clicked: 2,
        opportunities: 1,
      },
      {
        day: "2026-06-03",
        instantlyCampaignId: "inst-plain",
        campaignName: "relance ete",
        campaignId: null,
        sent: 3,
        opened: 1,
        replied: 0,
        clicked: 0,
        opportunities: 0,
      },
      relanceJune3(),
    ]);
  });

  it("keeps, under the campaign filter, that campaign's Instantly days only: not a namesake's, nothing for a campaign never pushed", async () => {
    expect(await instantlyOf(fx.a.members.analyst, fx.a.id, { campaign: ours.relance })).toEqual([relanceJune1(), relanceJune3()]);
    expect((await instantlyOf(fx.a.members.analyst, fx.a.id, { campaign: ours.printemps })).map((d) => d.instantlyCampaignId)).toEqual([
      "inst-printemps",
    ]);
    expect(await instantlyOf(fx.a.members.analyst, fx.a.id, { campaign: ours.unpushed })).toEqual([]);
    // B's campaign, pushed to the same Instantly id, selects nothing of A's.
    expect(await instantlyOf(fx.a.members.analyst, fx.a.id, { campaign: ours.globex })).toEqual([]);
  });

  it("reads the range's days, both ends included, as the days Instantly counted (not moved by the viewer's zone)", async () => {
    const days = async (params: Record<string, string>) => [
      ...new Set((await instantlyOf(fx.a.members.analyst, fx.a.id, params)).map((d) => d.day)),
    ];
    expect(await days({})).toEqual(["2026-06-01", "2026-06-02", "2026-06-03"]);
    expect(await days({ from: "2026-06-02", to: "2026-06-02" })).toEqual(["2026-06-02"]);
    expect(await days({ from: "2026-05-31", to: "2026-06-01" })).toEqual(["2026-05-31", "2026-06-01"]);
    expect(await days({ from: "2026-06-04", to: "2026-06-30" })).toEqual(["2026-06-04"]);
    expect(await days({ tz: "Pacific/Kiritimati" })).toEqual(["2026-06-01", "2026-06-02", "2026-06-03"]);
    expect(await days({ tz: "Pacific/Pago_Pago" })).toEqual(["2026-06-01", "2026-06-02", "2026-06-03"]);
  });

  it("shows a workspace its own Instantly days only, even when both synced the same Instantly campaign", async () => {
    const a = await instantlyOf(fx.a.members.analyst, fx.a.id);
    expect(a.map((d) => d.campaignName)).not.toContain("Globex secret");
    expect(a.some((d) => d.sent === 999)).toBe(false);
    expect(await instantlyOf(fx.b.members.analyst, fx.b.id)).toEqual([
      {
        day: "2026-06-01",
        instantlyCampaignId: "inst-relance",
        campaignName: "Globex secret",
        campaignId: ours.globex,
        sent: 999,
        opened: 999,
        replied: 999,
        clicked: 999,
        opportunities: 999,
      },
    ]);
  });

  it("shows a member of both workspaces, in each one's report, that workspace's days under that workspace's campaign only", async () => {
    expect(sorted(await instantlyOf(both, fx.a.id))).toEqual(sorted(await instantlyOf(fx.a.members.analyst, fx.a.id)));
    expect(await instantlyOf(both, fx.a.id, { campaign: ours.relance })).toEqual([relanceJune1(), relanceJune3()]);
    expect(await instantlyOf(both, fx.a.id, { campaign: ours.globex })).toEqual([]);
    expect(await instantlyOf(both, fx.b.id)).toEqual(await instantlyOf(fx.b.members.analyst, fx.b.id));
  });

  it("gives a user of another workspace none of them through RLS, even asking for that workspace by id", async () => {
    // The service, for a forged actor: B's admin claiming A's workspace.
    expect(await instantlyOf(fx.b.members.admin, fx.a.id)).toEqual([]);
    expect(await instantlyOf(fx.b.members.admin, fx.a.id, { campaign: ours.relance })).toEqual([]);
    // The query itself in B's admin's transaction, and the view it reads.
    const q = { ...parseAnalyticsRange(RANGE, "UTC"), workspaceId: fx.a.id };
    expect(await asUser(fx.b.members.admin, (tx) => queryInstantlyDays(tx, q))).toEqual([]);
    const seen = await asUser(fx.b.members.admin, (tx) =>
      tx.execute<{ workspace_id: string }>(sql`select distinct workspace_id from public.instantly_campaign_days`),
    );
    expect(seen.map((r) => r.workspace_id)).toEqual([fx.b.id]);
    // And someone of no workspace sees none at all.
    expect(await asUser(fx.outsider, (tx) => queryInstantlyDays(tx, q))).toEqual([]);
    // The same query as A's analyst does see A's days: the refusals above are RLS, not an empty fixture.
    expect(await asUser(fx.a.members.analyst, (tx) => queryInstantlyDays(tx, q))).toHaveLength(6);
  });

  it("counts an Instantly campaign's days once: the database refuses a second campaign of the workspace linked to it", async () => {
    // The unpushed campaign pushed to Relance's Instantly campaign (a vendor answer gone wrong, or a hand-made row).
    const refusal = await pushed(fx.a.id, ours.unpushed, "inst-relance").then(
      () => "linked",
      (error: unknown) => sqlStateOf(error),
    );
    try {
      expect(refusal).toBe("23505");
      expect(await instantlyOf(fx.a.members.analyst, fx.a.id, { campaign: ours.relance })).toEqual([relanceJune1(), relanceJune3()]);
      expect(await instantlyOf(fx.a.members.analyst, fx.a.id, { campaign: ours.unpushed })).toEqual([]);
      const relanceDays = (await instantlyOf(fx.a.members.analyst, fx.a.id)).filter((d) => d.instantlyCampaignId === "inst-relance");
      expect(relanceDays).toEqual([relanceJune1(), relanceJune3()]);
    } finally {
      // Left for the other tests as it was, had the push been linked.
      await db.execute(sql`delete from public.instantly_campaign_pushes where campaign_id = ${ours.unpushed}`);
    }
  });
});
