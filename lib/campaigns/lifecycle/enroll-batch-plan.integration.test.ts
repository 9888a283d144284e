import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { createApprovedTestCampaign, createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { openExplainingConnection, rowsRead, type ExplainingConnection } from "@/tests/fixtures/query-plans";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { enrollAudienceBatch } from "./enroll-audience";

/**
 * A launch's batch reads about as many rows as it enrolls, however far the launch has got. It
 * used to read, for every batch, the whole audience (to sort it by id and keep the next
 * thousand), every suppressed address of the workspace, every active enrollment of the workspace
 * (this campaign's own, growing with each batch, among them) and every active enrollment of the
 * campaign: `npm run bench:campaign` with 50,000 leads took 0.3 s for the first batch of 1,000
 * and 1.0 s for the fiftieth, so a million-lead launch would have taken hours.
 *
 * Here a filter audience of 1,500 leads, 600 of them already enrolled by earlier batches, 400
 * leads active in another running campaign and 5,000 suppressed addresses elsewhere in the
 * workspace; the next batch of 100 runs on a connection that reports each statement's plan
 * with its actual rows (auto_explain). Before: 1,900 leads' rows and 1,000 enrollments read.
 */

const AUDIENCE = 1_500;
const ENROLLED = 600;
const ELSEWHERE = 400;
const SUPPRESSED = 5_000;
const SIZE = 100;

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

describe("a launch's batch", () => {
  it(
    "reads about as many rows as it enrolls, not the audience, suppressions and enrollments the launch has piled up",
    { timeout: 120_000 },
    async () => {
      const ws = fx.a;
      const tag = randomSuffix();
      const newLeads = (n: number, prefix: string) => sql`
      insert into public.leads (workspace_id, first_name, email, source, status)
      select ${ws.id}, 'Zoë', ${prefix} || '-' || g || '-' || ${tag} || '@leads.example', 'csv', 'new' from generate_series(1, ${n}) g`;
      await db().execute(newLeads(AUDIENCE, "audience"));
      const campaign = await createApprovedTestCampaign(ws.id, ws.members.sales_rep, ws.members.admin, {
        audience: { kind: "filter", query: "status=new" },
      });
      await db().execute(sql`update public.campaigns set status = 'running', launched_at = now() where id = ${campaign.campaignId}`);
      // Another running campaign with its own active enrollments (leads outside the audience),
      // and suppressed addresses that are not the audience's.
      const other = await createRunningTestCampaign(ws.id, ws.members.sales_rep, ws.members.admin, []);
      await db().execute(sql`
      with elsewhere as (
        insert into public.leads (workspace_id, first_name, email, source, status)
        select ${ws.id}, 'Ana', 'elsewhere-' || g || '-' || ${tag} || '@leads.example', 'csv', 'contacted' from generate_series(1, ${ELSEWHERE}) g
        returning id)
      insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
      select ${ws.id}, ${other.campaignId}, id, ${other.identityId}, now() from elsewhere`);
      await db().execute(sql`insert into public.suppressions (workspace_id, kind, value, reason)
      select ${ws.id}, 'email', 'gone-' || g || '-' || ${tag} || '@leads.example', 'manual' from generate_series(1, ${SUPPRESSED}) g`);

      // The launch so far: its first batches.
      let cursor = { after: null as string | null, offset: 0 };
      while (cursor.offset < ENROLLED) {
        const batch = await withServiceTx((tx) =>
          enrollAudienceBatch(tx, { workspaceId: ws.id, campaignId: campaign.campaignId, ...cursor, size: SIZE }),
        );
        cursor = { after: batch.after, offset: batch.offset };
        expect(batch.halted).toBeNull();
      }
      await db().execute(sql`analyze public.leads, public.campaign_enrollments, public.suppressions`);

      const from = explaining.plans.length;
      const next = await drizzle(explaining.sql).transaction((tx) =>
        enrollAudienceBatch(tx, { workspaceId: ws.id, campaignId: campaign.campaignId, ...cursor, size: SIZE }),
      );
      expect(next).toMatchObject({ offset: ENROLLED + SIZE, halted: null });
      expect(next.started).toHaveLength(SIZE);

      const { read, how } = rowsRead(explaining.plans.slice(from));
      // Its page of the audience, its leads' enrollments and addresses: a few rows per lead at most.
      expect(read.leads ?? 0, how).toBeLessThanOrEqual(3 * SIZE);
      expect(read.campaign_enrollments ?? 0, how).toBeLessThanOrEqual(3 * SIZE);
      expect(read.suppressions ?? 0, how).toBeLessThanOrEqual(SIZE);
    },
  );
});
