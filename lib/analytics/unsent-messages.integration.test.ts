import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * The message rollups move only for statements that hold a sent message (migration 0084): the
 * send step's claims insert messages as 'sending' and never touch the fourteen rollup tables,
 * not even to plan the upsert; the statement that marks a message sent still counts it, once.
 * The trigger runs the generator's statement compiled into it (migration 0086).
 */
let fx: TenancyFixture;
let campaign: Awaited<ReturnType<typeof createRunningTestCampaign>>;

beforeAll(async () => {
  fx = await createTenancyFixture();
  campaign = await createRunningTestCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, []);
});

afterAll(async () => {
  await removeTenancyFixture(fx);
});

async function newEnrollment() {
  const email = `u-${randomSuffix()}@client.example`;
  const leadId = await insertTestLead(fx.a, { email, status: "contacted", ownerId: fx.a.members.sales_rep.id, source: "csv" });
  const [enrollment] = await serviceDb().execute<{ id: string }>(sql`
    insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
    values (${fx.a.id}, ${campaign.campaignId}, ${leadId}, ${campaign.identityId}, now()) returning id`);
  return { email, leadId, enrollmentId: enrollment!.id };
}

const sentInHour = async (hour: string) => {
  const [row] = await serviceDb().execute<{ sent: number }>(sql`
    select coalesce(sum(sent), 0)::int as sent from public.analytics_message_hours
    where workspace_id = ${fx.a.id} and campaign_id = ${campaign.campaignId}
      and hour >= ${hour}::timestamptz and hour < ${hour}::timestamptz + interval '1 hour'`);
  return row?.sent ?? 0;
};

/** Runs `work` while another transaction holds the rollup tables against any writer. */
async function whileRollupsLocked<T>(work: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = withServiceTx(async (tx) => {
    await tx.execute(sql`lock table public.analytics_message_hours, public.analytics_campaign_days in exclusive mode`);
    locked();
    await released;
  });
  await isLocked;
  try {
    return await work();
  } finally {
    release();
    await holder;
  }
}

describe("message rollups and unsent messages", () => {
  it("claims a message as 'sending' without touching the rollups, and counts it once it is sent", async () => {
    const e = await newEnrollment();
    const id = randomUUID();
    const sentAt = "2026-07-01T10:15:00Z";
    // Without the guard, the insert's trigger plans the upserts into the locked tables and waits.
    await whileRollupsLocked(() =>
      withServiceTx(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '2s'`);
        await tx.execute(sql`
          insert into public.email_messages (id, workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id,
            status, to_email, subject, text_body, attempts)
          values (${id}, ${fx.a.id}, ${campaign.campaignId}, ${e.enrollmentId}, ${campaign.stepId}, 1, ${e.leadId}, ${campaign.identityId},
            'sending', ${e.email}, 'Hello', 'A short note.', 1)`);
        await tx.execute(sql`update public.email_messages set attempts = 2 where id = ${id}`);
      }),
    );
    expect(await sentInHour("2026-07-01T10:00:00Z")).toBe(0);

    await serviceDb().execute(sql`
      update public.email_messages set status = 'sent', provider_id = ${randomUUID()}, sent_at = ${sentAt} where id = ${id}`);
    expect(await sentInHour("2026-07-01T10:00:00Z")).toBe(1);
    // A later change of a sent message still goes through the rollups (and moves nothing here).
    await serviceDb().execute(sql`update public.email_messages set reason = 'noted' where id = ${id}`);
    expect(await sentInHour("2026-07-01T10:00:00Z")).toBe(1);
  });

  it("still waits for the rollups when a statement writes a sent message", async () => {
    const e = await newEnrollment();
    const failure = await whileRollupsLocked(() =>
      withServiceTx(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '200ms'`);
        await tx.execute(sql`
          insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id,
            status, to_email, subject, text_body, provider_id, sent_at)
          values (${fx.a.id}, ${campaign.campaignId}, ${e.enrollmentId}, ${campaign.stepId}, 1, ${e.leadId}, ${campaign.identityId},
            'sent', ${e.email}, 'Hello', 'A short note.', ${randomUUID()}, '2026-07-01T11:00:00Z')`);
      }).then(
        () => null,
        (error: unknown) => error,
      ),
    );
    expect(sqlStateOf(failure)).toBe("55P03");
    expect(await sentInHour("2026-07-01T11:00:00Z")).toBe(0);
  });

  it("runs the upsert that analytics_message_upsert_sql writes today (a migration changing it recompiles the trigger)", async () => {
    const [row] = await serviceDb().execute<{ current: boolean }>(sql`
      select p.prosrc = private.analytics_count_messages_source() as current
      from pg_proc p where p.oid = 'private.analytics_count_messages()'::regprocedure`);
    // If this fails: end the migration that changed the generator with
    // SELECT private.analytics_compile_message_counts(); (see migration 0086).
    expect(row?.current).toBe(true);
  });
});
