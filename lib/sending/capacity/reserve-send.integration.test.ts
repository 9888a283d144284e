import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { openPostgres } from "@/db/postgres-target";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import { env } from "@/lib/env";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { releaseSend, reserveSend } from "./reserve-send";
import { readUsedToday } from "./used-today";

const db = serviceDb();
let fixture: TenancyFixture;
let identityId: string;

async function usage(identity: string, day: string): Promise<number | null> {
  const [row] = await db.execute<{ sent: number }>(
    sql`select sent from public.sending_identity_usage where identity_id = ${identity} and day = ${day}::date`,
  );
  return row ? Number(row.sent) : null;
}

async function newIdentity(timeZone: string, dailyCap = 50): Promise<string> {
  const [row] = await db.execute<{ id: string }>(sql`
    insert into public.sending_identities (workspace_id, from_name, from_email, daily_cap, time_zone)
    values (${fixture.a.id}, 'Zoë', ${`zoe-${crypto.randomUUID()}@acme.example`}, ${dailyCap}, ${timeZone}) returning id`);
  return row!.id;
}

beforeAll(async () => {
  fixture = await createTenancyFixture();
  identityId = await newIdentity("America/New_York");
});

afterAll(async () => {
  await removeTenancyFixture(fixture);
});

describe("reserveSend", () => {
  it("counts the identity's own day, not UTC's, and refuses past the cap until its next local midnight", async () => {
    // 03:00 UTC on Sunday 8 March 2026 is still Saturday 22:00 in New York.
    const at = new Date("2026-03-08T03:00:00Z");
    const input = { workspaceId: fixture.a.id, identityId, dailyCap: 2, identityTimeZone: "America/New_York", at };
    expect(await reserveSend(db, input)).toEqual({ ok: true, day: "2026-03-07" });
    expect(await reserveSend(db, input)).toEqual({ ok: true, day: "2026-03-07" });
    // Full: back at New York's midnight (05:00 UTC), not UTC's.
    expect(await reserveSend(db, input)).toEqual({ ok: false, retryAt: new Date("2026-03-08T05:00:00Z") });
    expect(await usage(identityId, "2026-03-07")).toBe(2);
    // The next local day counts afresh; the day after the clocks spring forward starts at 04:00 UTC.
    const sunday = { ...input, at: new Date("2026-03-08T05:00:00Z"), dailyCap: 1 };
    expect(await reserveSend(db, sunday)).toEqual({ ok: true, day: "2026-03-08" });
    expect(await reserveSend(db, sunday)).toEqual({ ok: false, retryAt: new Date("2026-03-09T04:00:00Z") });
  });

  it("honours a cap lowered below what was already sent today", async () => {
    const at = new Date("2026-04-01T15:00:00Z");
    const input = { workspaceId: fixture.a.id, identityId, dailyCap: 3, identityTimeZone: "America/New_York", at };
    for (let i = 0; i < 3; i++) expect((await reserveSend(db, input)).ok).toBe(true);
    expect((await reserveSend(db, { ...input, dailyCap: 1 })).ok).toBe(false);
    expect(await usage(identityId, "2026-04-01")).toBe(3);
  });

  it("gives the place back when the transaction rolls back, and releaseSend gives one back without going below zero", async () => {
    const at = new Date("2026-04-02T15:00:00Z");
    const input = { workspaceId: fixture.a.id, identityId, dailyCap: 1, identityTimeZone: "America/New_York", at };
    await expect(
      db.transaction(async (tx) => {
        expect((await reserveSend(tx, input)).ok).toBe(true);
        throw new Error("the message row could not be written");
      }),
    ).rejects.toThrow("could not be written");
    expect(await usage(identityId, "2026-04-02")).toBeNull();

    expect(await reserveSend(db, input)).toEqual({ ok: true, day: "2026-04-02" });
    expect((await reserveSend(db, input)).ok).toBe(false);
    await releaseSend(db, { workspaceId: fixture.a.id, identityId, day: "2026-04-02" });
    expect(await usage(identityId, "2026-04-02")).toBe(0);
    await releaseSend(db, { workspaceId: fixture.a.id, identityId, day: "2026-04-02" });
    expect(await usage(identityId, "2026-04-02")).toBe(0);
    expect((await reserveSend(db, input)).ok).toBe(true);
  });

  it("never touches another workspace's identity", async () => {
    const at = new Date("2026-04-03T15:00:00Z");
    const theirs = { workspaceId: fixture.b.id, identityId, dailyCap: 5, identityTimeZone: "America/New_York", at };
    // The identity belongs to workspace A: B cannot create its counter (foreign key)…
    await expect(reserveSend(db, theirs)).rejects.toThrow();
    // …nor raise or lower A's once it exists.
    expect((await reserveSend(db, { ...theirs, workspaceId: fixture.a.id })).ok).toBe(true);
    expect((await reserveSend(db, theirs)).ok).toBe(false);
    await releaseSend(db, { workspaceId: fixture.b.id, identityId, day: "2026-04-03" });
    expect(await usage(identityId, "2026-04-03")).toBe(1);
  });
});

describe("readUsedToday", () => {
  it("reads what reserveSend took on the identity's own day, less what releaseSend gave back, in its workspace only", async () => {
    const zone = "America/New_York";
    const ny = await newIdentity(zone);
    // 02:00 UTC on Sunday 10 May 2026 is Saturday 22:00 in New York.
    const at = new Date("2026-05-10T02:00:00Z");
    const read = (when: Date, workspaceId = fixture.a.id) =>
      readUsedToday(db, { workspaceId, identities: [{ id: ny, timeZone: zone }], at: when });
    expect(await read(at)).toEqual(new Map([[ny, { day: "2026-05-09", used: 0 }]]));
    const input = { workspaceId: fixture.a.id, identityId: ny, dailyCap: 5, identityTimeZone: zone, at };
    expect(await reserveSend(db, input)).toEqual({ ok: true, day: "2026-05-09" });
    await reserveSend(db, input);
    await reserveSend(db, input);
    await releaseSend(db, { workspaceId: fixture.a.id, identityId: ny, day: "2026-05-09" });
    expect(await read(at)).toEqual(new Map([[ny, { day: "2026-05-09", used: 2 }]]));
    // New York's midnight (04:00 UTC) starts a day with nothing used.
    expect(await read(new Date("2026-05-10T04:00:00Z"))).toEqual(new Map([[ny, { day: "2026-05-10", used: 0 }]]));
    expect((await read(at, fixture.b.id)).get(ny)?.used).toBe(0);
  });
});

describe("the daily cap under concurrent sends from two campaigns sharing a mailbox", () => {
  // A pool of its own, wider than the app's, so that dozens of transactions really overlap.
  let client: postgres.Sql;
  let wide: Database;
  beforeAll(() => {
    client = openPostgres(env().DATABASE_URL, { max: 40, onnotice: () => {} });
    wide = drizzle(client);
  });
  afterAll(async () => {
    await client.end();
  });

  it("lets exactly `cap` of 120 parallel send transactions write a message, across both campaigns", async () => {
    const cap = 17;
    const shared = await newIdentity("Asia/Kolkata", cap);
    const { admin, sales_rep: owner } = fixture.a.members;
    // Sixty leads each, with addresses: approval runs pre-flight, which leaves out a lead without
    // one or already active in the other campaign.
    const sixtyLeads = () =>
      Promise.all(Array.from({ length: 60 }, () => insertTestLead(fixture.a, { email: `cap-${randomSuffix()}@leads.example` })));
    const [firstLeads, secondLeads] = [await sixtyLeads(), await sixtyLeads()];
    const first = await createRunningTestCampaign(fixture.a.id, owner, admin, firstLeads);
    const second = await createRunningTestCampaign(fixture.a.id, owner, admin, secondLeads);
    await db.execute(sql`update public.campaign_enrollments set identity_id = ${shared}
      where campaign_id in (${first.campaignId}, ${second.campaignId})`);
    const sends = [
      ...first.enrollmentIds.map((enrollmentId, i) => ({ campaign: first, enrollmentId, leadId: firstLeads[i]! })),
      ...second.enrollmentIds.map((enrollmentId, i) => ({ campaign: second, enrollmentId, leadId: secondLeads[i]! })),
    ];
    const at = new Date("2026-06-10T06:00:00Z");

    // Each send as the send step does it: reserve, then write the message row, in one transaction;
    // the pause between widens the window in which a read-then-write check would let two pass.
    const results = await Promise.all(
      sends.map(({ campaign, enrollmentId, leadId }) =>
        wide.transaction(async (tx) => {
          const reservation = await reserveSend(tx, {
            workspaceId: fixture.a.id,
            identityId: shared,
            dailyCap: cap,
            identityTimeZone: "Asia/Kolkata",
            at,
          });
          if (!reservation.ok) return reservation;
          await tx.execute(sql`select pg_sleep(0.02)`);
          await tx.execute(sql`
            insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id, cap_day)
            values (${fixture.a.id}, ${campaign.campaignId}, ${enrollmentId}, ${campaign.stepId}, 1, ${leadId}, ${shared}, ${reservation.day}::date)`);
          return reservation;
        }),
      ),
    );

    expect(results.filter((r) => r.ok)).toHaveLength(cap);
    expect(new Set(results.map((r) => (r.ok ? r.day : r.retryAt.toISOString())))).toEqual(
      new Set(["2026-06-10", "2026-06-10T18:30:00.000Z"]),
    );
    const [messages] = await db.execute<{ count: number }>(sql`
      select count(*)::int as count from public.email_messages where identity_id = ${shared}`);
    expect(messages!.count).toBe(cap);
    expect(await usage(shared, "2026-06-10")).toBe(cap);
  });
});
