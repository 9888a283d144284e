import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { LISTED_LEADS } from "./empty-variables";
import { runPreflight } from "./run-preflight";

/** Pre-flight on real campaigns: each blocking rule, the empty-variable leads, the capacity and the links. */

let fx: TenancyFixture;
const db = () => serviceDb();
const tag = `pf-${randomSuffix()}`;
const noFirstName: string[] = [];
// 2026-11-30 is a Monday.
const now = new Date("2026-11-30T10:00:00Z");

async function identity(values: { postal?: string | null; cap?: number; days?: string; zone?: string } = {}): Promise<string> {
  const [row] = await db().execute<{ id: string }>(sql`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, daily_cap, send_days, time_zone)
    values (${fx.a.id}, 'Zoë Martin', ${`zoe-${randomSuffix()}@acme.test`}, ${values.postal === undefined ? "1 Main St, Springfield" : values.postal},
      ${values.cap ?? 50}, ${values.days ?? "{1,2,3,4,5}"}::smallint[], ${values.zone ?? "UTC"}) returning id`);
  return row!.id;
}

/** What the send step's reservations left in the mailbox's counter for a day (reserveSend). */
async function used(identityId: string, day: string, sent: number): Promise<void> {
  await db().execute(sql`insert into public.sending_identity_usage (workspace_id, identity_id, day, sent)
    values (${fx.a.id}, ${identityId}, ${day}::date, ${sent})`);
}

type StepSpec = { delayDays?: number; variants: { label?: string; weight?: number; subject: string; body: string }[] };

async function campaign(spec: { audience?: object | null; identities?: string[]; steps?: StepSpec[] }): Promise<string> {
  const ws = fx.a.id;
  const audience = spec.audience === undefined ? { kind: "filter", query: `tags=${tag}` } : spec.audience;
  const [c] = await db().execute<{ id: string }>(sql`
    insert into public.campaigns (workspace_id, owner_id, name, audience)
    values (${ws}, ${fx.a.members.sales_rep.id}, 'Pre-flight', ${audience ? JSON.stringify(audience) : null}::jsonb) returning id`);
  const id = c!.id;
  for (const identityId of spec.identities ?? []) {
    await db().execute(
      sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws}, ${id}, ${identityId})`,
    );
  }
  for (const [i, step] of (spec.steps ?? []).entries()) {
    const [s] = await db().execute<{ id: string }>(sql`
      insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days) values (${ws}, ${id}, ${i + 1}, ${step.delayDays ?? 0}) returning id`);
    for (const v of step.variants) {
      await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body)
        values (${ws}, ${id}, ${s!.id}, ${v.label ?? "A"}, ${v.weight ?? 100}, ${v.subject}, ${v.body})`);
    }
  }
  return id;
}

const preflight = (campaignId: string, user = fx.a.members.sales_rep) =>
  asUser(user, (tx) => runPreflight(tx, { workspaceId: fx.a.id, userId: user.id, campaignId, now }));

const greeting = { subject: 'Hi {{ first_name | default: "there" }}', body: "Would {{ last_name }} like a demo? https://acme.test/demo" };

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  // 12 leads without a first name, 3 with one; all with a company; one excluded lead without a first name.
  for (let i = 0; i < 12; i++) {
    noFirstName.push(
      await insertTestLead(fx.a, {
        firstName: i % 2 ? null : i % 4 === 0 ? "  " : "\t",
        lastName: `Nofirst ${i}`,
        email: `nf${i}-${tag}@acme.test`,
        companyName: "Acme",
        tags: [tag],
      }),
    );
  }
  for (let i = 0; i < 3; i++) {
    await insertTestLead(fx.a, { firstName: `Ann ${i}`, email: `ann${i}-${tag}@acme.test`, tags: [tag] });
  }
  await insertTestLead(fx.a, { firstName: null, lastName: "Excluded", email: `ex-${tag}@acme.test`, emailStatus: "invalid", tags: [tag] });
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

describe("runPreflight", () => {
  it("passes a complete campaign, with its audience, capacity and links", async () => {
    const id = await campaign({
      identities: [await identity({ cap: 5 })],
      steps: [{ variants: [greeting] }, { delayDays: 2, variants: [greeting] }],
    });
    const report = await preflight(id);
    expect(report.blocking).toEqual([]);
    expect(report.audience).toMatchObject({ matched: 16, eligible: 15, excluded: { email_invalid: 1 } });
    // 30 emails at 5 a weekday, follow-ups first.
    expect(report.capacity).toMatchObject({ totalEmails: 30, perDay: [{ days: [1, 2, 3, 4, 5], emails: 5 }], sendDays: [1, 2, 3, 4, 5] });
    expect(report.capacity!.days).toBeGreaterThanOrEqual(8);
    expect(report.links).toEqual([
      { where: "Step 1", urls: ["https://acme.test/demo"] },
      { where: "Step 2", urls: ["https://acme.test/demo"] },
    ]);
    expect(report.contentHash).toEqual(expect.any(String));
    // An analyst or a viewer reads the same checks (the approver's screen).
    expect((await preflight(id, fx.a.members.viewer)).audience).toEqual(report.audience);
  });

  it("warns about a variable empty for N eligible leads without a fallback, listing them", async () => {
    const id = await campaign({
      identities: [await identity()],
      steps: [{ variants: [{ subject: "Hello {{ first_name }}", body: "Hi {{ first_name }} {{ last_name }}" }] }],
    });
    const report = await preflight(id);
    expect(report.blocking).toEqual([]);
    const [empty] = report.warnings.filter((w) => w.code === "empty_variable");
    expect(empty).toMatchObject({
      where: "Step 1 · subject; Step 1 · body",
      message: expect.stringMatching(/^\{\{ first_name \}\} is empty for 12 leads and has no fallback, so they will be skipped/),
      moreLeads: 12 - LISTED_LEADS,
    });
    expect(empty!.leads).toHaveLength(LISTED_LEADS);
    for (const lead of empty!.leads!) expect(noFirstName).toContain(lead.id);
    expect(empty!.leads![0]!.name).toMatch(/^Nofirst/);
    // last_name is filled for every eligible lead: no warning for it.
    expect(report.warnings.filter((w) => w.code === "empty_variable")).toHaveLength(1);
  });

  it("blocks a campaign whose first email every eligible lead would be skipped for, naming the variables", async () => {
    const block = async (steps: StepSpec[]) => {
      const report = await preflight(await campaign({ identities: [await identity()], steps }));
      return report.blocking.filter((b) => b.code === "every_lead_skipped");
    };
    // A custom field none of them has.
    expect(await block([{ variants: [{ subject: "Hi", body: "About {{ custom.region }}" }] }])).toEqual([
      expect.objectContaining({
        where: "Step 1",
        message: expect.stringMatching(
          /^Every one of the 15 leads that can be emailed would be skipped before the first email, so nothing would be sent: \{\{ custom\.region \}\} is empty for them/,
        ),
      }),
    ]);
    // Two variables, each empty for a part and together for all: the 12 without a first name, the 3 without a company.
    const [both] = await block([{ variants: [{ subject: "Hi {{ first_name }}", body: "How is {{ company }}?" }] }]);
    expect(both?.message).toMatch(/one of \{\{ first_name \}\}, \{\{ company \}\}, none with a fallback, is empty for each\./);
    // Each variant of a split first step fails for everyone.
    const [split] = await block([
      {
        variants: [
          { label: "A", weight: 50, subject: "Hi", body: "{{ custom.region }}" },
          { label: "B", weight: 50, subject: "Hi", body: "{{ custom.plan }}" },
        ],
      },
    ]);
    expect(split?.message).toMatch(/whichever variant it gets.*\(A: \{\{ custom\.region \}\}; B: \{\{ custom\.plan \}\}\)/);
  });

  it("does not block when some lead still gets the first email: a variable empty for some, another variant, a later step", async () => {
    const block = async (steps: StepSpec[]) => {
      const report = await preflight(await campaign({ identities: [await identity()], steps }));
      expect(report.warnings.some((w) => w.code === "empty_variable")).toBe(true);
      return report.blocking.map((b) => b.code);
    };
    // Three leads have a first name.
    expect(await block([{ variants: [{ subject: "Hi {{ first_name }}", body: "Hello" }] }])).toEqual([]);
    // Variant B needs only a last name, which every eligible lead has.
    expect(
      await block([
        {
          variants: [
            { label: "A", weight: 50, subject: "Hi", body: "{{ custom.region }}" },
            { label: "B", weight: 50, subject: "Hi", body: "{{ last_name }}" },
          ],
        },
      ]),
    ).toEqual([]);
    // The first email goes out; only the follow-up would be skipped.
    expect(
      await block([{ variants: [greeting] }, { delayDays: 2, variants: [{ subject: "Re: Hi", body: "{{ custom.region }}" }] }]),
    ).toEqual([]);
  });

  it("blocks a campaign without steps, audience or identity", async () => {
    const report = await preflight(await campaign({ audience: null }));
    expect(report.blocking.map((b) => b.code)).toEqual(["no_steps", "no_audience", "no_identity"]);
    expect(report.audience).toBeNull();
    expect(report.capacity).toBeNull();
    expect(report.capacityNeeds).toEqual(["audience", "identity", "step"]);
  });

  it("says which of audience, identity and step the estimate still needs, and nothing once it has them", async () => {
    const needs = async (spec: Parameters<typeof campaign>[0]) => (await preflight(await campaign(spec))).capacityNeeds;
    expect(await needs({ steps: [{ variants: [greeting] }] })).toEqual(["identity"]);
    expect(await needs({ identities: [await identity()] })).toEqual(["step"]);
    expect(await needs({ audience: null, identities: [await identity()], steps: [{ variants: [greeting] }] })).toEqual(["audience"]);
    const archived = await identity();
    await db().execute(sql`update public.sending_identities set archived_at = now() where id = ${archived}`);
    expect(await needs({ identities: [archived], steps: [{ variants: [greeting] }] })).toEqual(["identity"]);
    const complete = await preflight(await campaign({ identities: [await identity()], steps: [{ variants: [greeting] }] }));
    expect(complete.capacityNeeds).toEqual([]);
    expect(complete.capacity).not.toBeNull();
  });

  it("blocks a missing postal address, an unbalanced split, an empty body and a template error", async () => {
    const id = await campaign({
      identities: [await identity({ postal: null })],
      steps: [
        {
          variants: [
            { label: "A", weight: 70, subject: "Hi", body: "" },
            { label: "B", weight: 20, subject: "Hi {{ frist_name }}", body: "Hello {% if title %}" },
          ],
        },
      ],
    });
    const report = await preflight(id);
    expect(report.blocking.map((b) => b.code)).toEqual([
      "missing_postal_address",
      "weights",
      "empty_body",
      "unknown_variable",
      "template_error",
    ]);
  });

  it("blocks an audience of which no lead can be emailed", async () => {
    const id = await campaign({
      audience: { kind: "filter", query: `tags=${tag}&emailStatus=invalid` },
      identities: [await identity()],
      steps: [{ variants: [greeting] }],
    });
    const report = await preflight(id);
    expect(report.blocking).toEqual([
      expect.objectContaining({
        code: "no_eligible_leads",
        message: "The one lead of this audience cannot be emailed (see the exclusions): choose another audience.",
      }),
    ]);
  });

  it("warns when the identities' caps stretch the campaign past a month, with the finish date", async () => {
    const id = await campaign({ identities: [await identity({ cap: 1, days: "{1}" })], steps: [{ variants: [greeting] }] });
    const report = await preflight(id);
    // 15 emails, one each Monday: the 15th Monday from 2026-11-30.
    expect(report.capacity).toMatchObject({ totalEmails: 15, finishDate: "2027-03-08" });
    expect(report.warnings.find((w) => w.code === "capacity")?.message).toMatch(/until about 2027-03-08/);
  });

  it("starts the estimate from what each identity has left of its cap today, its today as the send step counts it", async () => {
    // 15 emails at 5 a weekday, on Monday 30 November at 10:00 UTC.
    const utc = await identity({ cap: 5 });
    await used(utc, "2026-11-30", 3);
    await used(utc, "2026-11-29", 5); // Yesterday's: nothing to do with today.
    const report = await preflight(await campaign({ identities: [utc], steps: [{ variants: [greeting] }] }));
    // Monday 2 (3 already sent), Tuesday and Wednesday 5, the last 3 on Thursday.
    expect(report.capacity).toMatchObject({ totalEmails: 15, today: { used: 3, left: 2 }, days: 4, finishDate: "2026-12-03" });

    // At Kiritimati (UTC+14) it is already Tuesday 1 December, 00:00: that day's use counts, not Monday's.
    const ahead = await identity({ cap: 5, days: "{1,2,3,4,5,6,7}", zone: "Pacific/Kiritimati" });
    await used(ahead, "2026-11-30", 5);
    await used(ahead, "2026-12-01", 4);
    const early = await preflight(await campaign({ identities: [ahead], steps: [{ variants: [greeting] }] }));
    // Tuesday 1, then 5 a day: the last 4 on Friday, its date.
    expect(early.capacity).toMatchObject({ today: { used: 4, left: 1 }, days: 4, finishDate: "2026-12-04" });
  });

  it("does not find another workspace's campaign", async () => {
    const id = await campaign({});
    await expect(
      asUser(fx.b.members.admin, (tx) => runPreflight(tx, { workspaceId: fx.b.id, userId: fx.b.members.admin.id, campaignId: id })),
    ).rejects.toThrow(/was not found/);
  });
});
