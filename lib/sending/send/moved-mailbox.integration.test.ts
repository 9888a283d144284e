import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { restartEnrollmentsBatch } from "@/lib/campaigns/lifecycle/restart-enrollments";
import { sendNextStep } from "./send-next-step";
import { reapproveTestCampaign, runningCampaign } from "./testing/running-campaign";
import { scriptedOutboxTestbed } from "./testing/scripted-outbox-testbed";

/**
 * DESIGN.md §7.4 when a resume moved an enrollment to another mailbox while its email waited in
 * the queue: the email's place under the cap belongs to the mailbox and day it was reserved on
 * (the message's identity_id and cap_day), not to the enrollment's mailbox of now.
 */
const testbed = scriptedOutboxTestbed();
const db = () => serviceDb();

const RATE_LIMITED = { status: 429, name: "rate_limit_exceeded", message: "Too many requests", headers: { "retry-after": "60" } };

/** Each mailbox's places counted, per day. */
async function usageOf(identityId: string) {
  const rows = await db().execute<{ day: string; sent: number }>(sql`
    select day::text, sent from public.sending_identity_usage where identity_id = ${identityId} order by day`);
  return Object.fromEntries(rows.map((row) => [row.day, Number(row.sent)]));
}

describe("§7.4 a lead refused after a resume moved its enrollment to another mailbox", () => {
  it("gives its queued email's place back to the mailbox it was reserved on, not to the new one", async () => {
    const ws = testbed.fx.a.id;
    const r = await runningCampaign(testbed.fx.a, 1);
    const other = await runningCampaign(testbed.fx.a, 1);
    const [a, b] = [r.identityId, other.identityId];
    // Mailbox B has sent one email today, for another campaign.
    expect(
      await sendNextStep(db(), { workspaceId: ws, campaignId: other.campaignId, enrollmentId: other.enrollmentIds[0]!, generation: 1 }),
    ).toEqual({ next: "done", outcome: "completed" });

    // The lead's email is claimed under mailbox A, and the provider answers 429: it waits, queued.
    testbed.outbox.script(r.emails[0]!, RATE_LIMITED);
    const input = { workspaceId: ws, campaignId: r.campaignId, enrollmentId: r.enrollmentIds[0]!, generation: 1 };
    await expect(sendNextStep(db(), input)).rejects.toMatchObject({ name: "RetryAfterError" });
    const [queued] = await db().execute<{ status: string; identity_id: string; cap_day: string }>(
      sql`select status, identity_id, cap_day::text from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(queued).toMatchObject({ status: "queued", identity_id: a });
    const today = queued!.cap_day;
    const before = { a: await usageOf(a), b: await usageOf(b) };
    expect([before.a[today], before.b[today]]).toEqual([1, 1]);

    // The team swaps mailbox A for B on the campaign (back to draft), approves it again and resumes:
    // the enrollment moves to B under a new generation.
    await db().execute(
      sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws}, ${r.campaignId}, ${b})`,
    );
    await db().execute(sql`delete from public.campaign_identities where campaign_id = ${r.campaignId} and identity_id = ${a}`);
    await reapproveTestCampaign(r.campaignId);
    const restarted = await withServiceTx((tx) => restartEnrollmentsBatch(tx, { workspaceId: ws, campaignId: r.campaignId, after: null }));
    expect(restarted.started).toEqual([{ enrollmentId: input.enrollmentId, generation: 2, identityId: b }]);

    // The lead unsubscribes before the new run's step: the queued email is skipped.
    await db().execute(sql`update public.leads set status = 'unsubscribed' where id = ${r.leadIds[0]}`);
    expect(await sendNextStep(db(), { ...input, generation: 2 })).toEqual({ next: "done", outcome: "skipped" });
    const [skipped] = await db().execute<{ status: string; identity_id: string }>(
      sql`select status, identity_id from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(skipped).toEqual({ status: "skipped", identity_id: a });

    // A's unused place is given back; B keeps the one it used.
    expect({ a: await usageOf(a), b: await usageOf(b) }).toEqual({ a: { ...before.a, [today]: 0 }, b: before.b });
  });
});
