import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { insertSentTestMessage } from "@/tests/fixtures/sent-message";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * The leads' analytics trigger on UPDATE (migration 0083): a statement that moves no lead from
 * one rollup group to another (an edit of titles, an API bulk upsert's update) runs none of the
 * rollup work, and one that does keeps the rollups equal to the leads they count.
 */

let fx: TenancyFixture;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

/** What the rollups say per owner, source and status (net and created summed over time), and what the live leads are. */
async function rollupsAndFacts(workspaceId: string) {
  const rollups = await db().execute<{ k: string; net: number; created: number }>(sql`
    select concat_ws('/', owner_id, source, status) as k, sum(net)::int as net, sum(created)::int as created
    from public.analytics_lead_hours where workspace_id = ${workspaceId}
    group by 1 having sum(net) <> 0 or sum(created) <> 0 order by 1`);
  const facts = await db().execute<{ k: string; n: number }>(sql`
    select concat_ws('/', owner_id, source, status) as k, count(*)::int as n
    from public.leads where workspace_id = ${workspaceId} and deleted_at is null group by 1 order by 1`);
  return { rollups, facts: facts.map((f) => ({ k: f.k, net: f.n, created: f.n })) };
}

/** Runs `work` with this transaction's function calls and table reads counted; returns what it read. */
async function counted(work: (tx: Database) => Promise<void>) {
  return db().transaction(async (tx) => {
    await tx.execute(sql`set local track_functions = 'pl'`);
    const read = async () => {
      const [row] = await tx.execute<{ messages_rollups: number; workspace_reads: number }>(sql`
        select
          (select coalesce(sum(calls), 0)::int from pg_stat_xact_user_functions
            where schemaname = 'private' and funcname = 'analytics_count_messages') as messages_rollups,
          (select (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int from pg_stat_xact_user_tables
            where schemaname = 'public' and relname = 'workspaces') as workspace_reads`);
      return row!;
    };
    const before = await read();
    await work(tx);
    const after = await read();
    return {
      messagesRollups: after.messages_rollups - before.messages_rollups,
      workspaceReads: after.workspace_reads - before.workspace_reads,
    };
  });
}

describe("the leads' rollups on update", () => {
  it("runs no rollup work for an update that moves no lead between groups, and counts the leads that move", async () => {
    const ws = fx.a;
    const rep = ws.members.sales_rep;
    const ids = await Promise.all(
      [0, 1, 2, 3].map((i) => insertTestLead(ws, { email: `rollup-${i}-${ws.slug}@example.com`, ownerId: rep.id })),
    );
    const campaign = await createRunningTestCampaign(ws.id, rep, ws.members.admin, [ids[0]!]);
    const message = await insertSentTestMessage({
      workspaceId: ws.id,
      campaignId: campaign.campaignId,
      enrollmentId: campaign.enrollmentIds[0]!,
      leadId: ids[0]!,
      stepId: campaign.stepId,
      toEmail: `rollup-0-${ws.slug}@example.com`,
    });
    const list = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const before = await rollupsAndFacts(ws.id);
    expect(before.rollups).toEqual(before.facts);

    // Titles and tags: every lead keeps its group. The rollups' statement (which reads the
    // workspaces) and the funnel's update of emails (which runs the emails' rollups) do not run.
    const edit = await counted(async (tx) => {
      await tx.execute(sql`update public.leads set title = 'Head of Rollups', tags = '{q3}' where id in (${list})`);
    });
    expect(edit).toEqual({ messagesRollups: 0, workspaceReads: 0 });
    expect(await rollupsAndFacts(ws.id)).toEqual(before);

    // One lead interested (its email marks the funnel), one given to the manager, one deleted, one only retitled.
    const moves = await counted(async (tx) => {
      await tx.execute(sql`
        update public.leads set
          status = case when id = ${ids[0]!} then 'interested'::public.lead_status else status end,
          owner_id = case when id = ${ids[1]!} then ${ws.members.manager.id}::uuid else owner_id end,
          deleted_at = case when id = ${ids[2]!} then now() else deleted_at end,
          title = 'Head of Moves'
        where id in (${list})`);
    });
    expect(moves.messagesRollups).toBe(1);
    expect(moves.workspaceReads).toBeGreaterThan(0);
    const after = await rollupsAndFacts(ws.id);
    expect(after.rollups).toEqual(after.facts);
    expect(after).not.toEqual(before);
    const [email] = await db().execute<{ interested: boolean }>(
      sql`select interested_at is not null as interested from public.email_messages where id = ${message.id}`,
    );
    expect(email!.interested).toBe(true);
  });
});
