import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { openExplainingConnection, rowsRead, type ExplainingConnection } from "@/tests/fixtures/query-plans";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { restartEnrollmentsBatch } from "./restart-enrollments";

/**
 * A resume's batch reads about as many enrollments as it restarts, however far the resume has
 * got. It used to ask for the next thousand ACTIVE enrollments in id order, which no index
 * gives: every batch read all the active enrollments of the campaign (or, as here, of the
 * workspace) to sort them, so a resume of 50,000 read 50,000 rows fifty times; and its update
 * hashed the whole table to find the batch's rows.
 *
 * Here a running campaign of 3,000 enrollments written by three launch batches (each batch's
 * share one created_at), one in five finished, beside another campaign of 10,000, and a resume
 * halfway through in batches of 100. Its next batch runs on a connection that reports each
 * statement's plan with its actual rows (auto_explain): with the statistics ANALYZE takes now,
 * and, in a transaction rolled back, with those it took before the launch (hardly any enrollment
 * active: an index on active enrollments then looks like the cheap way to them). Before: 13,653
 * enrollments read (653 along (workspace_id, id), the table for the update), and 23,400 with
 * the old statistics (the workspace's 10,400 active enrollments, the table again). After: 184 (the
 * cursor's row, the page of 100, the 83 active ones in it by their key), whatever the statistics.
 */

const ENROLLMENTS = 3_000;
const LAUNCH_BATCH = 1_000;
/** One in FINISHED_EVERY enrollments has ended. */
const FINISHED_EVERY = 5;
const ACTIVE = ENROLLMENTS - ENROLLMENTS / FINISHED_EVERY;
const SIZE = 100;
/** Enrollments of the workspace's other campaign. */
const ELSEWHERE = 10_000;

let explaining: ExplainingConnection;

let fx: TenancyFixture;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  explaining = await openExplainingConnection();
});
afterAll(async () => {
  await explaining?.end();
  if (fx) await removeTenancyFixture(fx, db());
});

class RolledBack extends Error {}

describe("a resume's batch", () => {
  it(
    "reads about as many enrollments as it restarts, not every active one of the campaign, and the resume restarts each once",
    { timeout: 120_000 },
    async () => {
      const ws = fx.a;
      const tag = randomSuffix();
      const campaign = await createRunningTestCampaign(ws.id, ws.members.sales_rep, ws.members.admin, []);
      const ref = { workspaceId: ws.id, campaignId: campaign.campaignId };
      const enroll = (campaignId: string, identityId: string, n: number, prefix: string) => sql`
        with leads as (
          insert into public.leads (workspace_id, first_name, email, source, status)
          select ${ws.id}, 'Zoë', ${prefix} || '-' || g || '-' || ${tag} || '@leads.example', 'csv', 'contacted' from generate_series(1, ${n}) g
          returning id),
        numbered as (select id, row_number() over () as n from leads)
        insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, status, next_send_at, finished_at, created_at)
        select ${ws.id}, ${campaignId}, id, ${identityId},
          case when n % ${FINISHED_EVERY} = 0 then 'completed' else 'active' end::public.campaign_enrollment_status,
          case when n % ${FINISHED_EVERY} = 0 then null else now() end,
          case when n % ${FINISHED_EVERY} = 0 then now() end,
          now() - interval '1 hour' + ((n - 1) / ${LAUNCH_BATCH}) * interval '1 minute'
        from numbered`;
      await db().execute(enroll(campaign.campaignId, campaign.identityId, ENROLLMENTS, "resumed"));
      const other = await createRunningTestCampaign(ws.id, ws.members.sales_rep, ws.members.admin, []);
      await db().execute(enroll(other.campaignId, other.identityId, ELSEWHERE, "elsewhere"));

      // The resume so far: half its batches.
      let after: string | null = null;
      for (let batch = 0; batch < ENROLLMENTS / SIZE / 2; batch++) {
        after = (await withServiceTx((tx) => restartEnrollmentsBatch(tx, { ...ref, after, size: SIZE }))).after;
        expect(after).not.toBeNull();
      }
      await db().execute(sql`analyze public.campaign_enrollments`);

      // Statistics from before the launch, rolled back with the batch (they would mislead the other test files' plans).
      let stale = { read: {} as Record<string, number>, how: "" };
      await drizzle(explaining.sql)
        .transaction(async (tx) => {
          await tx.execute(sql`select pg_restore_attribute_stats('schemaname', 'public', 'relname', 'campaign_enrollments',
            'attname', 'status', 'inherited', false, 'null_frac', 0::real, 'avg_width', 4, 'n_distinct', 1::real,
            'most_common_vals', '{completed}'::text, 'most_common_freqs', '{1}'::real[])`);
          const from = explaining.plans.length;
          const next = await restartEnrollmentsBatch(tx, { ...ref, after, size: SIZE });
          expect(next.started.length).toBeGreaterThan(0);
          stale = rowsRead(explaining.plans.slice(from));
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      // Its page of enrollments (finished ones among them) and each restarted one by its key.
      expect(stale.read.campaign_enrollments ?? 0, stale.how).toBeLessThanOrEqual(3 * SIZE);

      // The same batch when the campaign has no mailbox left: its active enrollments end with
      // no_identity, each by its key, not through the index of the active ones that the stale
      // statistics make look empty (the update read every active enrollment of the workspace).
      let orphaned = { read: {} as Record<string, number>, how: "", ended: 0 };
      await drizzle(explaining.sql)
        .transaction(async (tx) => {
          await tx.execute(sql`select pg_restore_attribute_stats('schemaname', 'public', 'relname', 'campaign_enrollments',
            'attname', 'status', 'inherited', false, 'null_frac', 0::real, 'avg_width', 4, 'n_distinct', 1::real,
            'most_common_vals', '{completed}'::text, 'most_common_freqs', '{1}'::real[])`);
          // Their mailbox gone (the foreign key sets null) and the campaign's only one archived.
          await tx.execute(sql`update public.campaign_enrollments set identity_id = null where campaign_id = ${campaign.campaignId}`);
          await tx.execute(sql`update public.sending_identities set archived_at = now() where id = ${campaign.identityId}`);
          const from = explaining.plans.length;
          const next = await restartEnrollmentsBatch(tx, { ...ref, after, size: SIZE });
          orphaned = { ...rowsRead(explaining.plans.slice(from)), ended: next.ended.length };
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      expect(orphaned.ended).toBeGreaterThan(0);
      expect(orphaned.read.campaign_enrollments ?? 0, orphaned.how).toBeLessThanOrEqual(3 * SIZE);

      const from = explaining.plans.length;
      const next = await drizzle(explaining.sql).transaction((tx) => restartEnrollmentsBatch(tx, { ...ref, after, size: SIZE }));
      expect(next.started.length).toBeGreaterThan(0);
      const { read, how } = rowsRead(explaining.plans.slice(from));
      expect(read.campaign_enrollments ?? 0, how).toBeLessThanOrEqual(3 * SIZE);

      // The rest of the resume: every active enrollment restarted once (its second generation), the finished ones left alone.
      after = next.after;
      while (after !== null) after = (await withServiceTx((tx) => restartEnrollmentsBatch(tx, { ...ref, after, size: SIZE }))).after;
      const generations = await db().execute<{ status: string; generation: number; n: number }>(sql`
        select status::text, generation, count(*)::int as n from public.campaign_enrollments
        where campaign_id = ${campaign.campaignId} group by 1, 2 order by 1`);
      expect(generations).toEqual([
        { status: "active", generation: 2, n: ACTIVE },
        { status: "completed", generation: 1, n: ENROLLMENTS - ACTIVE },
      ]);
    },
  );
});
