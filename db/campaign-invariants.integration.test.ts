import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import {
  asUser,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  sqlState,
  type TenancyFixture,
  type TestUser,
} from "@/tests/fixtures/tenancy";

/**
 * DESIGN.md §7.1 as the database holds it (migration 0023), whoever writes: approval only by an
 * admin and only of the exact content; any change of the content afterwards returns the
 * campaign to draft (one case per kind of change); running only with the approved content.
 */

let fx: TenancyFixture;
let campaignId: string;
let identityId: string;
let stepId: string;

const db = () => serviceDb();

/** "ok", or the SQLSTATE PostgreSQL refused with: 42501 for a role, 23514 for a rule of the life cycle. */
async function attempt(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    return sqlState(error) ?? String(error);
  }
}
const rep = () => fx.a.members.sales_rep;
const admin = () => fx.a.members.admin;

async function statusOf(id = campaignId): Promise<string> {
  const [row] = await db().execute<{ status: string }>(sql`select status::text from public.campaigns where id = ${id}`);
  return row?.status ?? "missing";
}

const hashOf = async (tx: Database = db()) =>
  (await tx.execute<{ h: string }>(sql`select private.campaign_content_hash(${campaignId}) as h`))[0]?.h ?? "";

async function submitAsRep(): Promise<void> {
  await asUser(rep(), (tx) => tx.execute(sql`update public.campaigns set status = 'pending_approval' where id = ${campaignId}`));
}

async function approveAsAdmin(): Promise<void> {
  await asUser(admin(), async (tx) => {
    await tx.execute(sql`update public.campaigns set status = 'approved', approved_content_hash = ${await hashOf(tx)},
      approved_by = ${admin().id}, approved_at = now() where id = ${campaignId}`);
  });
}

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

beforeEach(async () => {
  const ws = fx.a.id;
  const [identity] = await db().execute<{ id: string }>(sql`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
    values (${ws}, 'Zoë Martin', ${`zoe-${randomSuffix()}@acme.example`}, '1 Rue de la Paix, 75002 Paris', 'Zoë') returning id`);
  const [campaign] = await db().execute<{ id: string }>(sql`
    insert into public.campaigns (workspace_id, owner_id, name, audience)
    values (${ws}, ${rep().id}, 'Cafés in Lyon', '{"kind":"filter","query":"country=FR"}') returning id`);
  identityId = identity!.id;
  campaignId = campaign!.id;
  const [step] = await db().execute<{ id: string }>(sql`
    insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days) values (${ws}, ${campaignId}, 1, 0) returning id`);
  stepId = step!.id;
  await db().execute(sql`
    insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
    values (${ws}, ${campaignId}, ${stepId}, 'A', 'Bonjour {{ first_name | default: "" }}', 'Un mot rapide.')`);
  await db().execute(
    sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws}, ${campaignId}, ${identityId})`,
  );
});

describe("approval", () => {
  it("a campaign starts as a draft, whatever the insert says", async () => {
    const forged = await attempt(() =>
      asUser(admin(), (tx) =>
        tx.execute(sql`insert into public.campaigns (workspace_id, owner_id, name, status, approved_content_hash, approved_by, approved_at)
          values (${fx.a.id}, ${admin().id}, 'Forged', 'approved', 'x', ${admin().id}, now())`),
      ),
    );
    expect(["42501", "23514"]).toContain(forged);
  });

  it("never reaches approved through a sales rep, even on their own submitted campaign", async () => {
    await submitAsRep();
    const forged = await attempt(() =>
      asUser(rep(), async (tx) =>
        tx.execute(sql`update public.campaigns set status = 'approved', approved_content_hash = ${await hashOf(tx)},
          approved_by = ${rep().id}, approved_at = now() where id = ${campaignId}`),
      ),
    );
    expect(forged).toBe("42501");
    expect(await statusOf()).toBe("pending_approval");
  });

  it("is recorded by an admin for the exact content, and refused for any other hash", async () => {
    await submitAsRep();
    const stale = await attempt(() =>
      asUser(admin(), (tx) =>
        tx.execute(sql`update public.campaigns set status = 'approved', approved_content_hash = ${"0".repeat(64)},
          approved_by = ${admin().id}, approved_at = now() where id = ${campaignId}`),
      ),
    );
    expect(stale).toBe("23514");
    await approveAsAdmin();
    expect(await statusOf()).toBe("approved");
  });

  it("cannot skip submission", async () => {
    const skipped = await attempt(() => approveAsAdmin());
    expect(skipped).toBe("23514");
    expect(await statusOf()).toBe("draft");
  });

  it("is recorded by the submission's hash, set by the database", async () => {
    await submitAsRep();
    const [row] = await db().execute<{ submitted: string }>(
      sql`select submitted_content_hash as submitted from public.campaigns where id = ${campaignId}`,
    );
    expect(row?.submitted).toBe(await hashOf());
  });
});

describe("a change after approval returns the campaign to draft", () => {
  const changes: [string, () => Promise<unknown>][] = [
    ["a step's delay", () => db().execute(sql`update public.campaign_steps set delay_days = 2 where id = ${stepId}`)],
    [
      "a new step",
      () =>
        db().execute(sql`insert into public.campaign_steps (workspace_id, campaign_id, position) values (${fx.a.id}, ${campaignId}, 2)`),
    ],
    ["a removed step", () => db().execute(sql`delete from public.campaign_steps where id = ${stepId}`)],
    ["a variant's subject", () => db().execute(sql`update public.campaign_step_variants set subject = 'Salut' where step_id = ${stepId}`)],
    ["a variant's body", () => db().execute(sql`update public.campaign_step_variants set body = 'Autre chose.' where step_id = ${stepId}`)],
    [
      "a new A/B variant",
      () =>
        db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body)
          values (${fx.a.id}, ${campaignId}, ${stepId}, 'B', 50, 'Other', 'Other body')`),
    ],
    ["a removed identity", () => db().execute(sql`delete from public.campaign_identities where campaign_id = ${campaignId}`)],
    [
      "the identity's signature",
      () => db().execute(sql`update public.sending_identities set signature = 'Zoë M.' where id = ${identityId}`),
    ],
    [
      "the audience rule",
      () => db().execute(sql`update public.campaigns set audience = '{"kind":"filter","query":"country=DE"}' where id = ${campaignId}`),
    ],
    ["stop on reply", () => db().execute(sql`update public.campaigns set stop_on_reply = false where id = ${campaignId}`)],
    ["plain text only", () => db().execute(sql`update public.campaigns set plain_text_only = true where id = ${campaignId}`)],
  ];

  it.each(changes)("%s", async (_what, change) => {
    await submitAsRep();
    await approveAsAdmin();
    await change();
    expect(await statusOf()).toBe("draft");
  });

  it.each(changes)("%s, while pending approval", async (_what, change) => {
    await submitAsRep();
    await change();
    expect(await statusOf()).toBe("draft");
  });

  it("but not a rename, nor rewriting the same content", async () => {
    await submitAsRep();
    await approveAsAdmin();
    await db().execute(sql`update public.campaigns set name = 'Cafés in Lyon, spring' where id = ${campaignId}`);
    await db().execute(sql`update public.campaign_step_variants set subject = subject, body = body where step_id = ${stepId}`);
    await db().execute(sql`update public.sending_identities set daily_cap = 80 where id = ${identityId}`);
    expect(await statusOf()).toBe("approved");
  });
});

describe("running", () => {
  it("only an admin launches, and only the approved content", async () => {
    await submitAsRep();
    await approveAsAdmin();
    const byRep = await attempt(() =>
      asUser(rep(), (tx) => tx.execute(sql`update public.campaigns set status = 'running' where id = ${campaignId}`)),
    );
    expect(byRep).toBe("42501");
    // A launch that changes the content in the same statement is refused, even on the service connection.
    const changed = await attempt(() =>
      db().execute(sql`update public.campaigns set status = 'running', plain_text_only = true where id = ${campaignId}`),
    );
    expect(changed).toBe("23514");
    await asUser(admin(), (tx) =>
      tx.execute(sql`update public.campaigns set status = 'running', launched_at = now() where id = ${campaignId}`),
    );
    expect(await statusOf()).toBe("running");
  });

  it("keeps its launch time for good, so that nobody can pass it off as a draft never launched and delete it", async () => {
    await submitAsRep();
    await approveAsAdmin();
    await asUser(admin(), (tx) =>
      tx.execute(sql`update public.campaigns set status = 'running', launched_at = now() where id = ${campaignId}`),
    );
    // The rep's own campaign: any content change takes it back to draft; the launch time stays.
    await asUser(rep(), (tx) => tx.execute(sql`update public.campaigns set status = 'draft' where id = ${campaignId}`));
    expect(await statusOf()).toBe("draft");
    const cleared = await attempt(() =>
      asUser(rep(), (tx) => tx.execute(sql`update public.campaigns set launched_at = null where id = ${campaignId}`)),
    );
    expect(cleared).toBe("23514");
    const deleted = await asUser(rep(), (tx) => tx.execute(sql`delete from public.campaigns where id = ${campaignId} returning id`));
    expect(deleted).toHaveLength(0);
    expect(await statusOf()).toBe("draft");
    // Not the service connection either: nothing in the app moves a launch time.
    expect(
      await attempt(() => db().execute(sql`update public.campaigns set launched_at = now() - interval '1 day' where id = ${campaignId}`)),
    ).toBe("23514");
  });

  it("a running campaign whose content changes stops being running", async () => {
    await submitAsRep();
    await approveAsAdmin();
    await db().execute(sql`update public.campaigns set status = 'running' where id = ${campaignId}`);
    await db().execute(sql`update public.campaign_step_variants set body = 'Changed mid-flight.' where step_id = ${stepId}`);
    expect(await statusOf()).toBe("draft");
  });
});

describe("the record of a campaign's acts", () => {
  const columns = async () =>
    (
      await db().execute<{
        submitted_by: string | null;
        launched: boolean;
        paused_by: string | null;
        pause_cause: string | null;
        pause_reason: string | null;
      }>(sql`
        select submitted_by::text, launched_at is not null as launched, paused_by::text, pause_cause::text, pause_reason
        from public.campaigns where id = ${campaignId}`)
    )[0]!;

  it("is written as each act happens, by whoever does it, and by nobody at another time", async () => {
    // Submitting names the person submitting, whatever the statement says.
    await asUser(rep(), (tx) =>
      tx.execute(
        sql`update public.campaigns set status = 'pending_approval', submitted_by = ${admin().id}, submitted_at = '2000-01-01' where id = ${campaignId}`,
      ),
    );
    expect((await columns()).submitted_by).toBe(rep().id);
    const forged = (who: () => TestUser, set: SQL) =>
      attempt(() => asUser(who(), (tx) => tx.execute(sql`update public.campaigns set ${set} where id = ${campaignId}`)));
    expect(await forged(rep, sql`submitted_by = ${admin().id}`)).toBe("42501");
    expect(await forged(admin, sql`submitted_at = now() - interval '3 days'`)).toBe("42501");
    expect(await forged(rep, sql`launched_at = now()`)).toBe("42501");

    await approveAsAdmin();
    await asUser(admin(), (tx) => tx.execute(sql`update public.campaigns set status = 'running' where id = ${campaignId}`));
    expect((await columns()).launched).toBe(true);
    // An admin's pause is theirs and manual, whatever the statement says.
    await asUser(admin(), (tx) =>
      tx.execute(sql`update public.campaigns set status = 'paused', pause_reason = 'Checking the list', paused_by = null,
        pause_cause = 'bounce_breaker' where id = ${campaignId}`),
    );
    expect(await columns()).toMatchObject({ paused_by: admin().id, pause_cause: "manual", pause_reason: "Checking the list" });
    expect(await forged(admin, sql`pause_cause = 'bounce_breaker', paused_by = null`)).toBe("42501");
    expect(await forged(rep, sql`pause_reason = 'Bounces'`)).toBe("42501");
    // The breaker's pauses (the service connection) are written as before.
    await db().execute(sql`update public.campaigns set pause_cause = 'bounce_breaker', paused_by = null where id = ${campaignId}`);
    // Resuming clears the pause.
    await asUser(admin(), (tx) => tx.execute(sql`update public.campaigns set status = 'running' where id = ${campaignId}`));
    expect(await columns()).toMatchObject({ paused_by: null, pause_cause: null, pause_reason: null });
  });
});

describe("content belongs to one campaign", () => {
  /** A draft of the sales rep's own, with a step of its own. */
  async function repsDraft(): Promise<{ id: string; stepId: string }> {
    const [draft] = await db().execute<{ id: string }>(sql`
      insert into public.campaigns (workspace_id, owner_id, name, audience)
      values (${fx.a.id}, ${rep().id}, 'Rep''s own draft', '{"kind":"filter","query":""}') returning id`);
    const [step] = await db().execute<{ id: string }>(sql`
      insert into public.campaign_steps (workspace_id, campaign_id, position) values (${fx.a.id}, ${draft!.id}, 1) returning id`);
    return { id: draft!.id, stepId: step!.id };
  }

  async function runningAdminCampaign(): Promise<void> {
    await submitAsRep();
    await db().execute(sql`update public.campaigns set owner_id = ${admin().id} where id = ${campaignId}`);
    await approveAsAdmin();
    await asUser(admin(), (tx) =>
      tx.execute(sql`update public.campaigns set status = 'running', launched_at = now() where id = ${campaignId}`),
    );
  }

  it("a variant of one campaign cannot hang on another campaign's step", async () => {
    await runningAdminCampaign();
    const approved = await hashOf();
    const draft = await repsDraft();
    // RLS allows the rep to write variants of their own draft; the step is the admin's campaign's.
    const inserted = await attempt(() =>
      asUser(rep(), (tx) =>
        tx.execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body)
          values (${fx.a.id}, ${draft.id}, ${stepId}, 'B', 50, 'Mine', 'Sent to your leads')`),
      ),
    );
    expect(inserted).toBe("23503");
    await asUser(rep(), (tx) =>
      tx.execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
        values (${fx.a.id}, ${draft.id}, ${draft.stepId}, 'A', 'Mine', 'Mine')`),
    );
    const moved = await attempt(() =>
      asUser(rep(), (tx) => tx.execute(sql`update public.campaign_step_variants set step_id = ${stepId} where campaign_id = ${draft.id}`)),
    );
    expect(moved).toBe("42501"); // step_id is not a column users may update (and the key above holds for the service connection)
    expect(await statusOf()).toBe("running");
    expect(await hashOf()).toBe(approved);
  });

  it("a step or an identity taken out of an approved campaign returns it to draft", async () => {
    const draft = await repsDraft();
    await submitAsRep();
    await approveAsAdmin();
    await db().execute(sql`update public.campaign_identities set campaign_id = ${draft.id} where campaign_id = ${campaignId}`);
    expect(await statusOf()).toBe("draft");

    await submitAsRep();
    await approveAsAdmin();
    await db().execute(sql`delete from public.campaign_step_variants where step_id = ${stepId}`);
    await submitAsRep();
    await approveAsAdmin();
    await db().execute(sql`update public.campaign_steps set campaign_id = ${draft.id}, position = 2 where id = ${stepId}`);
    expect(await statusOf()).toBe("draft");
  });
});
