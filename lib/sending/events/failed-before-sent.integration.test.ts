import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaignEnrollments, emailMessages } from "@/db/schema";
import { waitFor } from "@/lib/jobs/testing/harness";
import { findOutboxMessage } from "@/lib/outbox/store";
import { outboundEventData } from "@/lib/outbox/webhook-events";
import { sendNextStep } from "@/lib/sending/send/send-next-step";
import { reapproveTestCampaign, runningCampaign, type RunningCampaign } from "@/lib/sending/send/testing/running-campaign";
import { outboxTo } from "@/lib/sending/send/testing/scripted-outbox";
import { deliverResendEvent } from "@/tests/fixtures/webhook-delivery";
import type { EventOutcome } from "./apply-outbound-event";
import { processWebhookReceipt } from "./process-webhook-receipt";
import { scriptedOutboxTestbed } from "@/lib/sending/send/testing/scripted-outbox-testbed";

/**
 * Resend's `email.failed` and the send step's "sent" write race: the provider takes the email and
 * may report that it could not send it before the step that called it has recorded its answer.
 * Whichever of the two comes second sees the other: the email ends failed with the provider's
 * words and its sequence stopped, so the next step never follows up an email the lead never got.
 */
const testbed = scriptedOutboxTestbed();
const db = () => serviceDb();

/** A running campaign of one lead with a second step due an hour after the first. */
async function runningWithFollowUp(): Promise<RunningCampaign> {
  const r = await runningCampaign(testbed.fx.a, 1);
  const [step2] = await db().execute<{ id: string }>(sql`
    insert into public.campaign_steps (workspace_id, campaign_id, position, delay_hours) values (${testbed.fx.a.id}, ${r.campaignId}, 2, 1) returning id`);
  await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
    values (${testbed.fx.a.id}, ${r.campaignId}, ${step2!.id}, 'A', 'Re: Bonjour', 'Une relance.')`);
  await reapproveTestCampaign(r.campaignId);
  return r;
}

const send = (r: RunningCampaign, now?: Date) =>
  sendNextStep(
    db(),
    { workspaceId: testbed.fx.a.id, campaignId: r.campaignId, enrollmentId: r.enrollmentIds[0]!, generation: 1 },
    now ? { now: () => now } : {},
  );

/** What the provider reports about an email it holds, signed, through the webhook route, then processed as its job does. */
async function report(type: "email.failed" | "email.sent", emailId: string, extra: Record<string, unknown> = {}): Promise<EventOutcome> {
  const stored = await findOutboxMessage(emailId);
  return processWebhookReceipt(await deliverResendEvent(type, { ...outboundEventData(stored!), ...extra }));
}

const messageOf = async (r: RunningCampaign) =>
  (await db().select().from(emailMessages).where(eq(emailMessages.enrollmentId, r.enrollmentIds[0]!)))[0]!;
const enrollmentOf = async (r: RunningCampaign) =>
  (await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.id, r.enrollmentIds[0]!)))[0]!;

describe("email.failed and the send step's sent write, in either order", () => {
  it("fails the email and stops its sequence when the failure is processed while the step still waits for the provider's answer", async () => {
    const r = await runningWithFollowUp();
    let meanwhile: { status: string; reported: EventOutcome } | undefined;
    testbed.outbox.script(r.emails[0]!, {
      // The outbox stored the email and has not answered yet: the step has not written "sent".
      afterStore: async (emailId) => {
        const status = (await messageOf(r)).status;
        meanwhile = { status, reported: await report("email.failed", emailId, { failed: { reason: "reached_daily_quota" } }) };
      },
    });

    expect(await send(r)).toEqual({ next: "done", outcome: "ended" });
    expect(meanwhile).toEqual({
      status: "sending",
      reported: { outcome: "failed at the provider: message failed, its sequence stopped" },
    });
    await expectFailedAndStopped(r);
  });

  it("ends the same, without a deadlock, when each waits for the other's rows", async () => {
    // A third transaction holds the message row (as an update does: the failure's history entry,
    // which only references it, still goes in) while the failure's processing starts, then the
    // step's "sent" write: each waits; then the row is let go. The failure takes the enrollment
    // before the message, as the step's write does, so one goes after the other (taken in the
    // other order, each would hold the row the other waits for, and PostgreSQL abort one).
    const r = await runningWithFollowUp();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holder: Promise<void> | undefined;
    let holderPid = 0;
    let failure: Promise<EventOutcome> | undefined;
    testbed.outbox.script(r.emails[0]!, {
      afterStore: async (emailId) => {
        const { id } = await messageOf(r);
        let held!: () => void;
        const holding = new Promise<void>((resolve) => (held = resolve));
        holder = db().transaction(async (tx) => {
          const [row] = await tx.execute<{ pid: number }>(
            sql`select pg_backend_pid() as pid from public.email_messages where id = ${id} for no key update`,
          );
          holderPid = row!.pid;
          held();
          await released;
        });
        await holding;
        failure = report("email.failed", emailId, { failed: { reason: "reached_daily_quota" } });
        await waitFor(() => waiting(holderPid, 1), { what: "the failure's processing to wait" });
      },
    });
    const sending = send(r);
    await waitFor(() => waiting(holderPid, 2), { what: "the step's sent write to wait" });
    release();
    await holder;
    expect(await Promise.all([failure, sending])).toEqual([
      { outcome: "failed at the provider: message failed, its sequence stopped" },
      { next: "done", outcome: "ended" },
    ]);
    await expectFailedAndStopped(r);
  });

  it("ends the same when the failure is processed after the step marked the email sent", async () => {
    const r = await runningWithFollowUp();
    expect(await send(r)).toMatchObject({ next: "sleep", position: 2, why: "due" });
    const [received] = await outboxTo(r.emails[0]!);
    expect(await report("email.failed", received!.id, { failed: { reason: "reached_daily_quota" } })).toEqual({
      outcome: "failed at the provider: message failed, its sequence stopped",
    });
    await expectFailedAndStopped(r);
  });
});

/** Whether `count` sessions wait on a lock behind `holderPid`, directly or behind one that does. */
async function waiting(holderPid: number, count: number): Promise<boolean> {
  const [row] = await db().execute<{ n: number }>(sql`
    with direct as (select pid from pg_stat_activity where ${holderPid} = any(pg_blocking_pids(pid)))
    select count(*)::int as n from pg_stat_activity
    where pid in (select pid from direct) or pg_blocking_pids(pid) && (select array_agg(pid) from direct)`);
  return row!.n >= count;
}

async function expectFailedAndStopped(r: RunningCampaign) {
  const received = await outboxTo(r.emails[0]!);
  expect(received).toHaveLength(1);
  expect(await messageOf(r)).toMatchObject({
    status: "failed",
    errorCode: "provider_failed",
    reason: "The email provider could not send it: reached_daily_quota",
    providerId: received[0]!.id,
  });
  expect(await enrollmentOf(r)).toMatchObject({ status: "stopped", endCause: "provider_rejected", nextSendAt: null });

  // The provider's own `email.sent` for it, arriving late (webhooks come out of order), is only recorded.
  expect(await report("email.sent", received[0]!.id)).toEqual({ outcome: "sent: recorded" });
  expect(await messageOf(r)).toMatchObject({ status: "failed", errorCode: "provider_failed" });

  // When step 2 would have been due, its run sends nothing.
  expect(await send(r, new Date(Date.now() + 2 * 3_600_000))).toEqual({ next: "done", outcome: "ended" });
  expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
  const sent = await db().execute(sql`select 1 from public.email_messages where enrollment_id = ${r.enrollmentIds[0]} and status = 'sent'`);
  expect(sent).toEqual([]);
}
