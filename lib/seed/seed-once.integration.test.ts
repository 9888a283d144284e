import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { createFreshDatabase } from "@/tests/fixtures/fresh-database";
import { parseLeadListState } from "@/lib/leads/list-state";
import { DEMO_USERS, DEMO_VOLUME } from "./demo-data";
import { DEMO_READING_MODEL } from "./demo-replies";
import { seedDemoDataOnce } from "./seed-once";

// supabase-js needs a WebSocket, which Node 20 has only behind a flag (STACK-NOTES.md).
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
beforeAll(async () => {
  fresh = await createFreshDatabase(process.env.DATABASE_URL!);
  process.env.DATABASE_URL = fresh.url;
});
afterAll(() => fresh.drop());

const authAdmin = () => createSupabaseAdminClient({ fetch: embeddedAuthFetch });

async function demoState() {
  const users = await serviceDb().execute<{ email: string; memberships: number }>(sql`
    select u.email, (select count(*) from public.workspace_members m where m.user_id = u.id)::int as memberships
    from auth.users u order by u.email`);
  return Object.fromEntries(users.map((u) => [u.email, u.memberships]));
}

/** Per demo workspace: how many companies and leads, and the leads' activities, it holds. */
async function demoCounts() {
  const rows = await serviceDb().execute<{ slug: string; companies: number; leads: number; activities: number }>(sql`
    select w.slug,
      (select count(*) from public.companies c where c.workspace_id = w.id)::int as companies,
      (select count(*) from public.leads l where l.workspace_id = w.id)::int as leads,
      (select count(*) from public.lead_activities a where a.workspace_id = w.id)::int as activities
    from public.workspaces w order by w.slug`);
  return Object.fromEntries(rows.map(({ slug, ...counts }) => [slug, counts]));
}

let countsAfterFirstSeed: Awaited<ReturnType<typeof demoCounts>>;

describe("seedDemoDataOnce", () => {
  it("seeds a database once: a deleted demo user or membership stays deleted on the next start", async () => {
    const started = performance.now();
    expect(await seedDemoDataOnce(serviceDb(), authAdmin())).toMatchObject({ seeded: true });
    console.info(`demo seed: ${Math.round(performance.now() - started)} ms`);
    countsAfterFirstSeed = await demoCounts();
    expect(Object.keys(await demoState()).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());

    // What an operator does: delete the rep's account and take the viewer out of the workspace.
    const [rep] = await serviceDb().execute<{ id: string }>(sql`select id from auth.users where email = 'rep@acme.test'`);
    const { error } = await authAdmin().auth.admin.deleteUser(rep!.id);
    expect(error).toBeNull();
    await serviceDb().execute(sql`
      delete from public.workspace_members where user_id = (select id from auth.users where email = 'viewer@acme.test')`);

    // The next start.
    const again = await seedDemoDataOnce(serviceDb(), authAdmin());
    expect(again).toMatchObject({ seeded: false });
    expect(await demoState()).toEqual({
      "admin@acme.test": 1,
      "admin@globex.test": 1,
      "analyst@acme.test": 1,
      "manager@acme.test": 1,
      "viewer@acme.test": 0,
    });
  });

  it("seeds again when asked to (npm run db:seed), keeping an ideal customer profile an admin wrote", async () => {
    const icp = () =>
      serviceDb().execute<{ icp: string; titles: string[] }>(sql`select s.icp_description icp, s.target_titles titles
        from workspace_ai_settings s join workspaces w on w.id = s.workspace_id where w.slug = 'acme-outbound'`);
    // Acme comes with a profile, so fit scoring can run as soon as a model is configured.
    expect((await icp())[0]!.titles).toContain("Head of Sales");
    await serviceDb().execute(sql`update workspace_ai_settings set icp_description = 'Our own profile'
      where workspace_id = (select id from workspaces where slug = 'acme-outbound')`);
    expect(await seedDemoDataOnce(serviceDb(), authAdmin(), { force: true })).toMatchObject({ seeded: true });
    expect((await icp())[0]!.icp).toBe("Our own profile");
    expect(await demoState()).toEqual({
      "admin@acme.test": 1,
      "admin@globex.test": 1,
      "analyst@acme.test": 1,
      "manager@acme.test": 1,
      "rep@acme.test": 1,
      "viewer@acme.test": 1,
    });
    // Nothing doubled: every company, lead and timeline entry was already there.
    expect(await demoCounts()).toEqual(countsAfterFirstSeed);
  });
});

describe("the demo's sample AI answers", () => {
  it("give a dozen Acme leads an ICP fit and icebreaker labelled as sample (not a model's), once, never over a real answer", async () => {
    const samples = () =>
      serviceDb().execute<{ id: string; fit: number; icebreaker: string; sample: boolean; model: string }>(sql`
        select l.id, l.sort_fit_score fit, l.enrichment ->> 'icebreaker' icebreaker, (l.enrichment -> 'ai' ->> 'sample')::boolean sample,
          l.enrichment -> 'ai' ->> 'model' model
        from leads l join workspaces w on w.id = l.workspace_id where w.slug = 'acme-outbound' and l.enrichment ? 'ai' order by l.id`);
    const first = await samples();
    expect(first).toHaveLength(12);
    for (const row of first) {
      expect(row).toMatchObject({
        sample: true,
        model: "sample data (demo seed, no model)",
        icebreaker: expect.stringMatching(/^\(Sample\) /),
      });
      expect(row.fit).toBeGreaterThanOrEqual(30);
      expect(row.fit).toBeLessThanOrEqual(90);
    }
    // A real answer on one of them stays; a forced re-seed adds none.
    await serviceDb().execute(sql`update leads set enrichment = jsonb_set(enrichment, '{ai,sample}', 'false') where id = ${first[0]!.id}`);
    await seedDemoDataOnce(serviceDb(), authAdmin(), { force: true });
    const again = await samples();
    expect(again.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(again[0]!.sample).toBe(false);
  });
});

describe("the demo leads and companies", () => {
  const one = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => (await serviceDb().execute<T>(query))[0]!;
  const acme = sql`(select id from public.workspaces where slug = 'acme-outbound')`;

  it("fill Acme with 2,000 leads at 300 companies and Globex with a few hundred", () => {
    expect(countsAfterFirstSeed).toMatchObject({
      "acme-outbound": { companies: DEMO_VOLUME["acme-outbound"].companyCount, leads: DEMO_VOLUME["acme-outbound"].leadCount },
      globex: { companies: DEMO_VOLUME.globex.companyCount, leads: DEMO_VOLUME.globex.leadCount },
    });
    expect(countsAfterFirstSeed["acme-outbound"]!.activities).toBeGreaterThan(2 * DEMO_VOLUME["acme-outbound"].leadCount);
  });

  it("cover every status, the demo members as owners and unassigned leads, LinkedIn-only leads, accents and time zones", async () => {
    const row = await one<{
      statuses: string[];
      owners: string[];
      unassigned: number;
      linkedin_only: number;
      zones: number;
      names: string[];
    }>(sql`
      select array_agg(distinct l.status::text order by l.status::text) as statuses,
        array_agg(distinct u.email order by u.email) filter (where u.email is not null) as owners,
        count(*) filter (where l.owner_id is null)::int as unassigned,
        count(*) filter (where l.email is null and l.linkedin_url is not null)::int as linkedin_only,
        count(distinct l.time_zone)::int as zones,
        array_agg(distinct l.last_name) filter (where l.last_name in ('Ångström', 'Müller', 'Nuñez', 'Dvořák', '佐藤')) as names
      from public.leads l left join auth.users u on u.id = l.owner_id
      where l.workspace_id = ${acme}`);
    expect(row.statuses).toHaveLength(9);
    // The rep was deleted and created again by the forced seed: the leads they owned are unassigned now.
    expect(row.owners).toEqual(["admin@acme.test", "manager@acme.test"]);
    expect(row.unassigned).toBeGreaterThan(500);
    expect(row.linkedin_only).toBeGreaterThan(100);
    expect(row.zones).toBeGreaterThanOrEqual(20);
    expect(row.names.sort()).toEqual(["Dvořák", "Müller", "Nuñez", "Ångström", "佐藤"].sort());
  });

  it("link leads to their company's name and give every lead a timeline whose latest entry is its last activity", async () => {
    const row = await one<{ wrong_company_name: number; without_timeline: number; wrong_last_activity: number; months: number }>(sql`
      select
        count(*) filter (where l.company_id is not null and l.company_name is distinct from c.name)::int as wrong_company_name,
        count(*) filter (where a.latest is null)::int as without_timeline,
        count(*) filter (where l.last_activity_at is distinct from a.latest)::int as wrong_last_activity,
        count(distinct date_trunc('month', l.created_at))::int as months
      from public.leads l
      left join public.companies c on c.id = l.company_id
      left join (select lead_id, max(created_at) as latest from public.lead_activities group by lead_id) a on a.lead_id = l.id
      where l.workspace_id = ${acme}`);
    expect(row).toMatchObject({ wrong_company_name: 0, without_timeline: 0, wrong_last_activity: 0 });
    expect(row.months).toBeGreaterThanOrEqual(10);
    // The company list's lead counts agree with the leads (kept by trigger through the bulk insert).
    const miscounted = await one<{ n: number }>(sql`
      select count(*)::int as n from public.companies c left join public.company_lead_counts k on k.company_id = c.id
      where c.workspace_id = ${acme}
        and k.lead_count is distinct from (select count(*) from public.leads l where l.company_id = c.id and l.deleted_at is null)`);
    expect(miscounted.n).toBe(0);
  });

  it("show a few of Acme's replies already read (fixed readings, no model), a referral ready to be added as a lead", async () => {
    const rows = await serviceDb().execute<{
      category: string;
      model: string;
      return_date: string | null;
      referral: unknown;
      action: unknown;
    }>(sql`
      select category::text, model, return_date::text, referral, action from public.reply_classifications
      where workspace_id = ${acme} and state = 'classified' order by reply_key`);
    expect(rows.map((r) => r.category)).toEqual(["interested", "out_of_office", "wrong_person", "not_now"]);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set([DEMO_READING_MODEL]));
    expect(rows[1]!.return_date).toMatch(/^\d{4}-01-12$/);
    expect(rows[2]).toMatchObject({ referral: { name: "Priya Nair" }, action: { kind: "referral_offered", existingLeadId: null } });
  });

  it("share a saved view with the workspace that the leads table reads without a notice", async () => {
    const views = await serviceDb().execute<{ name: string; state: Record<string, string> }>(sql`
      select name, state from public.saved_views where workspace_id = ${acme} and shared`);
    expect(views.map((v) => v.name)).toEqual(["Hot pipeline"]);
    const parsed = parseLeadListState(views[0]!.state);
    expect(parsed.notices).toEqual([]);
    expect(parsed.state).toMatchObject({ status: ["interested", "meeting"], sort: "lastActivity", dir: "desc" });
  });
});
