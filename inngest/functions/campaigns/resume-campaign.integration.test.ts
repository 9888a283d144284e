import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { jobEvents } from "@/db/schema";
import { campaignResumeRequested, inngest, type EventContext } from "@/inngest/client";
import { beginRestarting } from "@/lib/campaigns/lifecycle/launch-progress";
import { runReaching, startTestExecutor, unique, waitFor, type TestExecutor } from "@/lib/jobs/testing/harness";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { resumeCampaign } from "./resume-campaign";
import { startEvents } from "./start-events";

/**
 * A resume in flight across a deploy. The version before paged through the active enrollments
 * in id order, this one pages in creation order: a run begun by the old version and carried on
 * by this one must still give every active enrollment a run at its current generation.
 *
 * The old version is played by a handler with its step ids that restarts the first 1,000 active
 * enrollments in id order, asks for their runs, and then fails (the deploy), to be retried by
 * an executor with the function as it is now. The 1,000 lowest ids are the campaign's latest
 * enrollments: taken into the creation order, their cursor would skip the 500 created before
 * (with the batches' step ids kept, the 500 were left without a run).
 */

const ENROLLMENTS = 1_500;
const OLD_BATCH = 1_000;
/** The old executor's retry delay: long enough that only the new one (its clock moved on) retries. */
const RETRY_MS = 60_000;

let fx: TenancyFixture;
const db = () => serviceDb();
const functionId = unique("resume-campaign");
const options = { id: functionId, triggers: [campaignResumeRequested], retries: 5 as const };

/** The version before: its step ids, id order, and a failure once its first batch's runs were asked for. */
async function oldResume({ event, step }: EventContext<"campaigns/resume.requested">) {
  const { workspaceId, campaignId } = event.data;
  await step.run("begin", () => beginRestarting(serviceDb(), { workspaceId, campaignId }));
  const first = await step.run("restart-0", () =>
    withServiceTx(async (tx) => {
      const rows = await tx.execute<{ id: string; generation: number; identity_id: string }>(sql`
        update public.campaign_enrollments e set generation = e.generation + 1
        from (select id from public.campaign_enrollments where campaign_id = ${campaignId} and status = 'active'
          order by id limit ${OLD_BATCH}) b
        where e.id = b.id returning e.id, e.generation, e.identity_id`);
      const started = rows.map((r) => ({ enrollmentId: r.id, generation: Number(r.generation), identityId: r.identity_id }));
      return {
        started,
        ended: [],
        after: started
          .map((s) => s.enrollmentId)
          .sort()
          .at(-1)!,
        halted: null,
      };
    }),
  );
  await step.sendEvent("start-0", startEvents(workspaceId, campaignId, first.started));
  await step.run("restart-1", () => {
    throw new Error("The deploy stopped this process");
  });
}
const oldFunction = inngest.createFunction(options, oldResume);
const newFunction = inngest.createFunction(options, resumeCampaign);

let executor: TestExecutor | undefined;

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});
afterAll(async () => {
  await executor?.stop();
  if (fx) await removeTenancyFixture(fx, db());
});

describe("a resume begun by the version that paged in id order", () => {
  it("gives every active enrollment a run at its current generation when the new version carries it on", { timeout: 120_000 }, async () => {
    const ws = fx.a;
    const tag = randomSuffix();
    const campaign = await createRunningTestCampaign(ws.id, ws.members.sales_rep, ws.members.admin, []);
    await db().execute(sql`
      with leads as (
        insert into public.leads (workspace_id, first_name, email, source, status)
        select ${ws.id}, 'Zoë', 'deploy-' || g || '-' || ${tag} || '@leads.example', 'csv', 'contacted' from generate_series(1, ${ENROLLMENTS}) g
        returning id)
      insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
      select ${ws.id}, ${campaign.campaignId}, id, ${campaign.identityId}, now() from leads`);
    // Two launch batches: the lowest ids in the later one.
    await db().execute(sql`
      update public.campaign_enrollments e set created_at = now() - case when b.n <= ${OLD_BATCH} then interval '1 minute' else interval '2 minutes' end
      from (select id, row_number() over (order by id) as n from public.campaign_enrollments where campaign_id = ${campaign.campaignId}) b
      where e.id = b.id`);

    // Meant for these functions only: another file's executor runs the resume function of the app.
    const [event] = await db()
      .insert(jobEvents)
      .values({
        name: campaignResumeRequested.name,
        data: { workspaceId: ws.id, campaignId: campaign.campaignId, requestedBy: ws.members.admin.id },
        workspaceId: ws.id,
        targetFunctionId: functionId,
        ts: new Date(),
      })
      .returning({ id: jobEvents.id });

    executor = await startTestExecutor([{ fn: oldFunction, handler: oldResume }], { retry: { baseMs: RETRY_MS, maxMs: RETRY_MS } });
    await waitFor(
      async () =>
        (
          await db().execute(sql`
            select 1 from public.job_steps s join public.job_runs r on r.id = s.run_id
            where r.event_id = ${event!.id} and s.step_id = 'restart-1' and s.status = 'retrying'`)
        ).length > 0,
      { timeoutMs: 30_000, what: "the old version to fail after its first batch" },
    );
    await executor.stop();

    executor = await startTestExecutor([{ fn: newFunction, handler: resumeCampaign }]);
    executor.clock.advance(RETRY_MS + 1_000);
    const run = await runReaching(event!.id, ["completed", "failed"], 60_000);
    expect(run.status).toBe("completed");

    const withoutRun = await db().execute<{ id: string }>(sql`
      select e.id from public.campaign_enrollments e
      where e.campaign_id = ${campaign.campaignId} and e.status = 'active'
        and not exists (select 1 from public.job_events j where j.idempotency_key = 'enrollment-' || e.id || '-' || e.generation)`);
    expect(withoutRun).toHaveLength(0);
    const [pending] = await db().execute<{ pending_restart: string | null }>(sql`
      select pending_restart from public.campaigns where id = ${campaign.campaignId}`);
    expect(pending!.pending_restart).toBeNull();
  });
});
