import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb, withServiceTx } from "@/db";
import { applyReplyAction } from "@/lib/ai/replies/apply-reply-action";
import { recordReply } from "@/lib/sending/events/inbound/record-reply";
import { campaignEnrollments, campaigns, emailMessages, sendingIdentityUsage } from "@/db/schema";
import { verifyUnsubscribeToken } from "@/lib/campaigns/unsubscribe-token";
import { endEnrollments } from "@/lib/campaigns/lifecycle/end-enrollments";
import { reserveSend } from "@/lib/sending/capacity";
import { addSuppression } from "@/lib/suppressions/add-suppression";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { randomSuffix } from "@/tests/fixtures/tenancy";
import { approvedContent, forgetApprovedContent } from "./approved-content";
import { claimStatements } from "./claim-step";
import { sendNextStep, type SendOptions } from "./send-next-step";
import { reapproveTestCampaign, runningCampaign, type RunningCampaign } from "./testing/running-campaign";
import { outboxTo } from "./testing/scripted-outbox";
import { scriptedOutboxTestbed } from "./testing/scripted-outbox-testbed";

/**
 * The send step against the real database and the real outbox (through the Resend SDK), one
 * DESIGN.md §7 invariant per block. Each calls the step as the sequence's step.run does.
 */
const testbed = scriptedOutboxTestbed();
const db = () => serviceDb();

type Setup = RunningCampaign;
const running = (n = 1, options: Parameters<typeof runningCampaign>[2] = {}) => runningCampaign(testbed.fx.a, n, options);
const reapprove = reapproveTestCampaign;

const input = (r: Setup, i = 0) => ({
  workspaceId: testbed.fx.a.id,
  campaignId: r.campaignId,
  enrollmentId: r.enrollmentIds[i]!,
  generation: 1,
});
const send = (r: Setup, i = 0, options: SendOptions = {}) => sendNextStep(db(), input(r, i), options);

async function enrollment(id: string) {
  const [row] = await db().select().from(campaignEnrollments).where(eq(campaignEnrollments.id, id));
  return row!;
}
async function messagesOf(enrollmentId: string) {
  return db().select().from(emailMessages).where(eq(emailMessages.enrollmentId, enrollmentId));
}

describe("a send", () => {
  it("sends the step once through the provider with its headers, tags and key, then completes the enrollment and the campaign", async () => {
    const r = await running();
    expect(await send(r)).toEqual({ next: "done", outcome: "completed" });

    const [message] = await messagesOf(r.enrollmentIds[0]!);
    expect(message).toMatchObject({ status: "sent", stepPosition: 1, variantLabel: "A", toEmail: r.emails[0], attempts: 1 });
    expect(message!.providerId).toMatch(/^[0-9a-f-]{36}$/);
    const [received] = await outboxTo(r.emails[0]!);
    expect(received!.id).toBe(message!.providerId);
    expect(received!.subject).toBe("Bonjour Ada");
    expect(received!.headers["Message-ID"]).toBe(message!.rfcMessageId);
    expect(message!.rfcMessageId).toBe(`<${message!.id}@acme.example>`);
    expect(received!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const [, https, mailto] = /^<(https?:[^>]+)>, <(mailto:[^>]+)>$/.exec(received!.headers["List-Unsubscribe"]!)!;
    expect(mailto).toMatch(/^mailto:zoe-[0-9a-f]+@acme\.example\?subject=unsubscribe$/);
    expect(verifyUnsubscribeToken(new URL(https!).pathname.replace("/unsubscribe/", ""))).toEqual({
      workspaceId: testbed.fx.a.id,
      leadId: r.leadIds[0],
      campaignId: r.campaignId,
    });
    expect(received!.text_body).toContain(`Unsubscribe: ${https}`);
    const tags = Object.fromEntries(received!.tags.map((t) => [t.name, t.value]));
    expect(tags).toMatchObject({ workspace_id: testbed.fx.a.id, campaign_id: r.campaignId, step_id: r.stepId, message_id: message!.id });
    expect(testbed.outbox.requests.filter((q) => q.to === r.emails[0]).map((q) => q.idempotencyKey)).toEqual([message!.id]);

    expect(await enrollment(r.enrollmentIds[0]!)).toMatchObject({ status: "completed", nextStep: 2, nextSendAt: null });
    const [campaign] = await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, r.campaignId));
    expect(campaign!.status).toBe("completed");
  });

  it("threads a follow-up on the earlier step and sleeps until it is due, in the window", async () => {
    const r = await running();
    const [step2] = await db().execute<{ id: string }>(sql`
      insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days) values (${testbed.fx.a.id}, ${r.campaignId}, 2, 2) returning id`);
    await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
      values (${testbed.fx.a.id}, ${r.campaignId}, ${step2!.id}, 'A', 'Re: Bonjour', 'Une relance.')`);
    // The edit sent it back to draft; approved again as it is now, and set running.
    await reapprove(r.campaignId);

    const start = Date.now();
    const first = await send(r);
    expect(first).toMatchObject({ next: "sleep", position: 2, why: "due" });
    const until = Date.parse((first as { until: string }).until);
    expect(until).toBeGreaterThanOrEqual(start + 2 * 86_400_000 - 5_000);
    expect((await enrollment(r.enrollmentIds[0]!)).nextSendAt?.getTime()).toBe(until);

    // Not due yet: nothing is sent when the step runs early.
    expect(await send(r)).toMatchObject({ next: "sleep", position: 2, why: "due" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);

    expect(await send(r, 0, { now: () => new Date(until + 1000) })).toEqual({ next: "done", outcome: "completed" });
    const received = await outboxTo(r.emails[0]!);
    expect(received).toHaveLength(2);
    const firstId = received[0]!.headers["Message-ID"]!;
    expect(received[1]!.headers["In-Reply-To"]).toBe(firstId);
    expect(received[1]!.headers.References).toBe(firstId);
    // The follow-up carries the recipient's own one-click unsubscribe, as the first step did.
    for (const email of received) {
      expect(email.headers["List-Unsubscribe"]).toMatch(
        /^<https?:\/\/[^>]+\/unsubscribe\/u1\.[\w-]+\.[\w-]+>, <mailto:[^>]+\?subject=unsubscribe>$/,
      );
      expect(email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    }
    expect(received[1]!.headers["List-Unsubscribe"]).toBe(received[0]!.headers["List-Unsubscribe"]);
  });
});

/** Makes the enrollments due since `at` (the window tests run the step at a chosen instant). */
async function dueSince(r: Setup, at: string) {
  await db().execute(sql`update public.campaign_enrollments set next_send_at = ${at}::timestamptz where campaign_id = ${r.campaignId}`);
}

describe("§7.1 approval", () => {
  it("sends nothing for a campaign approved but not launched, paused, or stopped", async () => {
    const r = await running(3);
    await db().execute(sql`update public.campaigns set status = 'paused' where id = ${r.campaignId}`);
    expect(await send(r, 0)).toEqual({ next: "done", outcome: "held" });
    await db().execute(sql`update public.campaigns set status = 'stopped' where id = ${r.campaignId}`);
    expect(await send(r, 1)).toEqual({ next: "done", outcome: "held" });
    for (const email of r.emails) expect(await outboxTo(email)).toEqual([]);
    // Held, not ended: a resume continues from the same step.
    expect(await enrollment(r.enrollmentIds[0]!)).toMatchObject({ status: "active", nextStep: 1 });
    expect(await messagesOf(r.enrollmentIds[0]!)).toEqual([]);
  });

  it("sends nothing once the content was edited after approval, for a send already scheduled", async () => {
    const r = await running(2);
    expect(await send(r, 0)).toMatchObject({ next: "done", outcome: "completed" });
    // The second lead's send is due; an editor changes the subject meanwhile.
    await db().execute(sql`update public.campaign_step_variants set subject = 'Changed' where step_id = ${r.stepId}`);
    expect(await send(r, 1)).toEqual({ next: "done", outcome: "held" });
    expect(await outboxTo(r.emails[1]!)).toEqual([]);
  });

  it("checks the hash itself: content changed behind the triggers' back, the campaign still 'running', sends nothing", async () => {
    const r = await running(2);
    expect(await send(r, 0)).toMatchObject({ outcome: "completed" });
    // A write that escaped migration 0023's triggers (replica mode skips them): status stays running.
    await db().transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update public.campaign_step_variants set body = 'Not what the admin approved.' where step_id = ${r.stepId}`);
      await tx.execute(sql`update public.campaigns set updated_at = clock_timestamp() where id = ${r.campaignId}`);
    });
    const [c] = await db().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, r.campaignId));
    expect(c!.status).toBe("running");
    expect(await send(r, 1)).toEqual({ next: "done", outcome: "content_changed" });
    expect(await outboxTo(r.emails[1]!)).toEqual([]);
  });
});

describe("§7.2 once per (enrollment, step)", () => {
  it("sends once when the same step runs again, twice at once, or for an older generation", async () => {
    const r = await running(1);
    // Twice at once: the second waits for the first's lock, finds its message on the way and
    // asks the provider under the same key, which answers with the first's id (Resend itself may
    // answer 409 "in progress" instead, to try again later: tested under provider errors).
    const twice = await Promise.allSettled([send(r), send(r)]);
    expect(twice.map((t) => (t.status === "fulfilled" ? t.value : (t.reason as Error).message))).toContainEqual({
      next: "done",
      outcome: "completed",
    });
    for (const t of twice) if (t.status === "rejected") expect(String(t.reason)).toMatch(/concurrent_idempotent_requests/);
    expect(await send(r)).toMatchObject({ next: "done" });
    expect(await sendNextStep(db(), { ...input(r), generation: 0 + 2 })).toEqual({ next: "done", outcome: "superseded" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
    expect(await messagesOf(r.enrollmentIds[0]!)).toHaveLength(1);
  });

  it("sends the other run's message once, its place counted once, when that run claims the step just before this one", async () => {
    const r = await running(1);
    let raced: string | undefined;
    const outcome = await send(r, 0, {
      beforeProviderCall: async () => {
        if (raced) return;
        // Another run of this enrollment claims step 1 first, as the locked claim does: its place, then its message.
        const [identity] = await db().execute<{ daily_cap: number; time_zone: string }>(
          sql`select daily_cap, time_zone from public.sending_identities where id = ${r.identityId}`,
        );
        const place = await reserveSend(db(), {
          workspaceId: testbed.fx.a.id,
          identityId: r.identityId,
          dailyCap: identity!.daily_cap,
          identityTimeZone: identity!.time_zone,
          at: new Date(),
        });
        if (!place.ok) throw new Error("the test's mailbox is full");
        const [row] = await db().execute<{ id: string }>(sql`
          insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id,
            status, to_email, subject, text_body, cap_day, content_hash)
          values (${testbed.fx.a.id}, ${r.campaignId}, ${r.enrollmentIds[0]}, ${r.stepId}, 1, ${r.leadIds[0]}, ${r.identityId},
            'queued', ${r.emails[0]}, 'Raced', 'Raced body', ${place.day}::date,
            (select approved_content_hash from public.campaigns where id = ${r.campaignId}))
          returning id`);
        raced = row!.id;
      },
    });
    expect(outcome).toEqual({ next: "done", outcome: "completed" });
    // This run's claim met the other's row: it rolled back whole, its place under the cap with it.
    expect(await messagesOf(r.enrollmentIds[0]!)).toMatchObject([{ id: raced, status: "sent", subject: "Raced" }]);
    expect((await outboxTo(r.emails[0]!)).map((m) => m.subject)).toEqual(["Raced"]);
    const usage = await db().select().from(sendingIdentityUsage).where(eq(sendingIdentityUsage.identityId, r.identityId));
    expect(usage.reduce((n, u) => n + u.sent, 0)).toBe(1);
  });

  it("retries a 5xx under the same Idempotency-Key with the identical email, and sends it once", async () => {
    const r = await running(1);
    testbed.outbox.script(r.emails[0]!, { status: 500, name: "internal_server_error", message: "Something broke" });
    await expect(send(r)).rejects.toThrow(/internal_server_error/);
    const [pending] = await messagesOf(r.enrollmentIds[0]!);
    // The provider answered: the email did not leave, so it waits as queued (its content and key kept).
    expect(pending).toMatchObject({ status: "queued", attempts: 1 });
    expect(await send(r)).toEqual({ next: "done", outcome: "completed" });
    const keys = testbed.outbox.requests.filter((q) => q.to === r.emails[0]).map((q) => q.idempotencyKey);
    expect(keys).toEqual([pending!.id, pending!.id]);
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
    expect((await messagesOf(r.enrollmentIds[0]!))[0]).toMatchObject({ status: "sent", attempts: 2, subject: pending!.subject });
  });

  const busy = [
    {
      answer: "a 429 with retry-after",
      refusal: { status: 429, name: "rate_limit_exceeded", message: "Too many requests", headers: { "retry-after": "3" } },
      retryAfter: "3",
      // The provider answered: the email did not leave, so it waits in the queue.
      waitsAs: "queued",
    },
    {
      // Resend's answer to the same key sent again while the first request is being handled.
      answer: "a 409 concurrent_idempotent_requests (1 s)",
      refusal: {
        status: 409,
        name: "concurrent_idempotent_requests",
        message: "Same idempotency key used while original request is still in progress. Try the request again later.",
      },
      retryAfter: "1",
      // The first request under that key may yet have sent it: only that key may send it again.
      waitsAs: "sending",
    },
  ];
  it.each(busy)(
    "tries $answer again after that wait, and on the last attempt waits rather than losing the email",
    async ({ refusal, retryAfter, waitsAs }) => {
      const r = await running(1);
      testbed.outbox.script(r.emails[0]!, refusal, refusal);
      await expect(send(r)).rejects.toMatchObject({ name: "RetryAfterError", retryAfter });
      const waited = await send(r, 0, { finalAttempt: true });
      expect(waited).toMatchObject({ next: "sleep", position: 1, why: "provider_busy" });
      expect((await messagesOf(r.enrollmentIds[0]!))[0]!.status).toBe(waitsAs);
      expect(await send(r)).toEqual({ next: "done", outcome: "completed" });
      expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
    },
  );
});

describe("provider refusals", () => {
  it("fails the message with the provider's reason on a 4xx, without retrying, and gives its place under the cap back", async () => {
    const r = await running(1);
    testbed.outbox.script(r.emails[0]!, { status: 422, name: "validation_error", message: "The `to` address is invalid." });
    expect(await send(r)).toEqual({ next: "done", outcome: "failed" });
    expect(testbed.outbox.requests.filter((q) => q.to === r.emails[0])).toHaveLength(1);
    const [message] = await messagesOf(r.enrollmentIds[0]!);
    expect(message).toMatchObject({ status: "failed", errorCode: "validation_error" });
    expect(message!.reason).toContain("The `to` address is invalid.");
    expect(await enrollment(r.enrollmentIds[0]!)).toMatchObject({ status: "stopped", endCause: "provider_rejected" });
    const [usage] = await db().select().from(sendingIdentityUsage).where(eq(sendingIdentityUsage.identityId, r.identityId));
    expect(usage!.sent).toBe(0);
    expect(await send(r)).toEqual({ next: "done", outcome: "ended" });
    expect(testbed.outbox.requests.filter((q) => q.to === r.emails[0])).toHaveLength(1);
  });

  it("fails the message after the last retry of a 5xx", async () => {
    const r = await running(1);
    testbed.outbox.script(r.emails[0]!, { status: 503, name: "internal_server_error", message: "Down for maintenance" });
    expect(await send(r, 0, { finalAttempt: true })).toEqual({ next: "done", outcome: "failed" });
    expect((await messagesOf(r.enrollmentIds[0]!))[0]!.reason).toContain("Down for maintenance");
  });
});

/** A running campaign of one lead with a second step due an hour after the first. */
async function runningWithFollowUp(): Promise<Setup> {
  const r = await running(1);
  const [step2] = await db().execute<{ id: string }>(sql`
    insert into public.campaign_steps (workspace_id, campaign_id, position, delay_hours) values (${testbed.fx.a.id}, ${r.campaignId}, 2, 1) returning id`);
  await db().execute(sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
    values (${testbed.fx.a.id}, ${r.campaignId}, ${step2!.id}, 'A', 'Re: Bonjour', 'Une relance.')`);
  await reapprove(r.campaignId);
  return r;
}

/** The lead of `r` enrolled in a second campaign (stopping on reply), beside a lead it may email; both mailboxes always open. */
async function enrolledElsewhere(r: Setup) {
  const fresh = await insertTestLead(testbed.fx.a, { email: `fresh-${randomSuffix()}@leads.example` });
  const other = await createRunningTestCampaign(testbed.fx.a.id, testbed.fx.a.members.sales_rep, testbed.fx.a.members.admin, [
    fresh,
    r.leadIds[0]!,
  ]);
  await db().execute(sql`update public.sending_identities set send_days = '{1,2,3,4,5,6,7}', send_from_minute = 0, send_until_minute = 1440
    where id = ${other.identityId}`);
  return { workspaceId: testbed.fx.a.id, campaignId: other.campaignId, enrollmentId: other.enrollmentIds[1]!, generation: 1 };
}

describe("a reply", () => {
  it("stops the sequence before the next step: the ended enrollment sends nothing more, and a replied lead is skipped elsewhere", async () => {
    const r = await runningWithFollowUp();
    expect(await send(r)).toMatchObject({ next: "sleep", position: 2 });
    // What the reply processing does (lib/sending/events): the lead replied, its enrollments end.
    await db().execute(sql`update public.leads set status = 'replied' where id = ${r.leadIds[0]}`);
    await endEnrollments(db(), { workspaceId: testbed.fx.a.id, leadId: r.leadIds[0]!, cause: "replied", reason: "Replied to step 1" });
    expect(await send(r, 0, { now: () => new Date(Date.now() + 2 * 3_600_000) })).toEqual({ next: "done", outcome: "ended" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);

    // The same lead, enrolled in another campaign since: skipped there with the reason. (Beside a
    // lead that campaign may email: approval runs pre-flight, which leaves out a lead that replied.)
    const other = await enrolledElsewhere(r);
    expect(await sendNextStep(db(), other)).toEqual({ next: "done", outcome: "skipped" });
    expect(await enrollment(other.enrollmentId)).toMatchObject({ status: "skipped", endCause: "replied", stopReason: "The lead replied." });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
  });
});

describe("a reply to another campaign's email", () => {
  /** The lead of `r` answers the email `r` sent it (what the inbound webhook's job does), as the reply received now. */
  async function replyTo(r: Setup) {
    const [answered] = await messagesOf(r.enrollmentIds[0]!);
    await withServiceTx((tx) =>
      recordReply(tx, {
        received: {
          id: randomUUID(),
          from: r.emails[0]!,
          to: [answered!.fromAddress!],
          subject: "Re: Bonjour",
          text: "Yes, let's talk next week.",
          html: null,
          headers: { "in-reply-to": answered!.rfcMessageId! },
          messageId: null,
          createdAt: new Date().toISOString(),
        },
        deliveryId: randomUUID(),
        occurredAt: new Date(),
      }),
    );
  }

  /** The reply's reading, as the classification job records and applies it. */
  async function readAs(r: Setup, category: "interested" | "out_of_office") {
    const [reply] = await db().execute<{ id: string }>(sql`update public.reply_classifications
      set state = 'classified', category = ${category}, classified_at = now() where lead_id = ${r.leadIds[0]} returning id`);
    const returnDate = category === "out_of_office" ? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) : null;
    await withServiceTx((tx) =>
      applyReplyAction(
        tx,
        { id: reply!.id, workspaceId: testbed.fx.a.id, leadId: r.leadIds[0]!, campaignId: r.campaignId, enrollmentId: r.enrollmentIds[0]! },
        { category, returnDate, referral: null },
      ),
    );
  }

  const leadStatus = async (r: Setup) =>
    (await db().execute<{ status: string }>(sql`select status from public.leads where id = ${r.leadIds[0]}`))[0]!.status;

  it("stops a campaign that stops on reply, though the reply's reading moved the lead on from replied to interested", async () => {
    const r = await running(1);
    expect(await send(r)).toEqual({ next: "done", outcome: "completed" });
    const other = await enrolledElsewhere(r);
    // The reply answers the first campaign's email: it ends that campaign's enrollment (already
    // complete) and moves the lead to replied; its reading then moves the lead on to interested.
    await replyTo(r);
    await readAs(r, "interested");
    expect(await leadStatus(r)).toBe("interested");

    expect(await sendNextStep(db(), other)).toEqual({ next: "done", outcome: "skipped" });
    expect(await enrollment(other.enrollmentId)).toMatchObject({ status: "skipped", endCause: "replied", stopReason: "The lead replied." });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
  });

  it("does not stop it for an out-of-office notice, nor for a reply that came before the lead was enrolled", async () => {
    // The notice ends the first campaign's sequence (stop on reply); its reading resumes it after
    // the return date and moves the lead back to contacted.
    const away = await runningWithFollowUp();
    expect(await send(away)).toMatchObject({ next: "sleep", position: 2 });
    const afterAway = await enrolledElsewhere(away);
    await replyTo(away);
    await readAs(away, "out_of_office");
    expect(await leadStatus(away)).toBe("contacted");
    expect(await sendNextStep(db(), afterAway)).toEqual({ next: "done", outcome: "completed" });
    expect(await outboxTo(away.emails[0]!)).toHaveLength(2);

    // An interested lead put into a check-in campaign after its reply gets the check-in.
    const warm = await running(1);
    expect(await send(warm)).toEqual({ next: "done", outcome: "completed" });
    await replyTo(warm);
    await readAs(warm, "interested");
    const checkIn = await enrolledElsewhere(warm);
    expect(await sendNextStep(db(), checkIn)).toEqual({ next: "done", outcome: "completed" });
    expect(await outboxTo(warm.emails[0]!)).toHaveLength(2);
  });
});

describe("a campaign that does not stop on reply", () => {
  it("sends the next step to a lead who replied (a campaign that stops on reply skips it: the test above)", async () => {
    const r = await runningWithFollowUp();
    await db().execute(sql`update public.campaigns set stop_on_reply = false where id = ${r.campaignId}`);
    await reapprove(r.campaignId);
    expect(await send(r)).toMatchObject({ next: "sleep", position: 2 });
    // What the reply processing does with a contacted lead (lib/sending/events/inbound/record-reply.ts):
    // the lead moves on to replied, and this campaign's enrollment stays active.
    await db().execute(sql`update public.leads set status = 'replied' where id = ${r.leadIds[0]}`);
    expect(await send(r, 0, { now: () => new Date(Date.now() + 2 * 3_600_000) })).toEqual({ next: "done", outcome: "completed" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(2);
    expect(await enrollment(r.enrollmentIds[0]!)).toMatchObject({ status: "completed" });
  });
});

describe("§7.3 never to a suppressed, unsubscribed, bounced or complained lead", () => {
  it("skips each with the reason on the enrollment and its message, and sends nothing", async () => {
    const r = await running(5);
    await db().execute(sql`update public.leads set status = 'unsubscribed' where id = ${r.leadIds[0]}`);
    await db().execute(sql`update public.leads set status = 'bounced' where id = ${r.leadIds[1]}`);
    await addSuppression(db(), { workspaceId: testbed.fx.a.id, kind: "email", value: r.emails[2]!, reason: "complaint" });
    // A whole domain (its own, so no other test's leads are in it).
    const domain = `blocked-${randomSuffix()}.example`;
    r.emails[3] = `someone@${domain}`;
    await db().execute(sql`update public.leads set email = ${r.emails[3]} where id = ${r.leadIds[3]}`);
    await addSuppression(db(), { workspaceId: testbed.fx.a.id, kind: "domain", value: domain.toUpperCase(), reason: "manual" });
    await db().execute(sql`update public.leads set deleted_at = now() where id = ${r.leadIds[4]}`);
    const expected = [
      ["unsubscribed", "The lead unsubscribed."],
      ["bounced", "The lead's address bounced."],
      ["complained", "The lead marked an email as spam."],
      ["suppressed", "The lead's address or domain is on the suppression list."],
      ["lead_deleted", "The lead was deleted."],
    ];
    for (const [i, [cause, reason]] of expected.entries()) {
      expect(await send(r, i)).toEqual({ next: "done", outcome: "skipped" });
      expect(await enrollment(r.enrollmentIds[i]!)).toMatchObject({ status: "skipped", endCause: cause, stopReason: reason });
      expect(await messagesOf(r.enrollmentIds[i]!)).toMatchObject([{ status: "skipped", reason }]);
      expect(await outboxTo(r.emails[i]!)).toEqual([]);
    }
    const [usage] = await db().select().from(sendingIdentityUsage).where(eq(sendingIdentityUsage.identityId, r.identityId));
    expect(usage?.sent ?? 0).toBe(0);
  });

  it("does not send when the unsubscribe lands while the step runs, between its checks and the provider call", async () => {
    const r = await running(1);
    const outcome = await send(r, 0, {
      beforeProviderCall: async () => {
        // What the unsubscribe route does, committed while this send is in flight.
        await addSuppression(db(), { workspaceId: testbed.fx.a.id, kind: "email", value: r.emails[0]!, reason: "unsubscribe" });
        await db().execute(sql`update public.leads set status = 'unsubscribed' where id = ${r.leadIds[0]}`);
      },
    });
    expect(outcome).toEqual({ next: "done", outcome: "skipped" });
    expect(testbed.outbox.requests.filter((q) => q.to === r.emails[0])).toEqual([]);
    expect(await messagesOf(r.enrollmentIds[0]!)).toMatchObject([{ status: "skipped", reason: "The lead unsubscribed." }]);
    expect(await enrollment(r.enrollmentIds[0]!)).toMatchObject({ status: "skipped", endCause: "unsubscribed" });
    // No place under the cap is used (the check failed before the place was taken, or it was given back).
    const [usage] = await db().select().from(sendingIdentityUsage).where(eq(sendingIdentityUsage.identityId, r.identityId));
    expect(usage?.sent ?? 0).toBe(0);
  });

  it("does not send when a pause lands while the step runs, and sends on resume", async () => {
    const r = await running(1);
    const outcome = await send(r, 0, {
      beforeProviderCall: async () => {
        await db().execute(sql`update public.campaigns set status = 'paused' where id = ${r.campaignId}`);
      },
    });
    expect(outcome).toEqual({ next: "done", outcome: "held" });
    expect(await messagesOf(r.enrollmentIds[0]!)).toEqual([]);
    await db().execute(sql`update public.campaigns set status = 'running' where id = ${r.campaignId}`);
    await db().execute(sql`update public.campaign_enrollments set generation = 2 where id = ${r.enrollmentIds[0]}`);
    expect(await sendNextStep(db(), { ...input(r), generation: 2 })).toEqual({ next: "done", outcome: "completed" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
  });
});

describe("§7.4 the window and the daily cap", () => {
  it("sends nothing outside the window in the lead's zone across the end of DST, and sleeps until it opens", async () => {
    // New York leaves daylight time on Sunday 1 November 2026: on Monday 13:30Z is 08:30 there, not 09:30.
    const r = await running(1, { leads: { timeZone: "America/New_York" }, window: "office" });
    await dueSince(r, "2026-11-01T00:00:00Z");
    const monday0830 = new Date("2026-11-02T13:30:00Z");
    expect(await send(r, 0, { now: () => monday0830 })).toEqual({
      next: "sleep",
      until: "2026-11-02T14:00:00.000Z",
      position: 1,
      why: "window",
    });
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    expect((await enrollment(r.enrollmentIds[0]!)).nextSendAt?.toISOString()).toBe("2026-11-02T14:00:00.000Z");
    expect(await send(r, 0, { now: () => new Date("2026-11-02T14:00:30Z") })).toEqual({ next: "done", outcome: "completed" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
  });

  it("uses the workspace's zone for a lead without one", async () => {
    const r = await running(1, { window: "office" });
    await dueSince(r, "2026-11-01T00:00:00Z");
    await db().execute(sql`update public.workspaces set time_zone = 'Asia/Tokyo' where id = ${testbed.fx.a.id}`);
    try {
      // 02:00Z on a Wednesday is 11:00 in Tokyo (in the window), 02:00 in UTC (not).
      expect(await send(r, 0, { now: () => new Date("2026-11-04T02:00:00Z") })).toEqual({ next: "done", outcome: "completed" });
    } finally {
      await db().execute(sql`update public.workspaces set time_zone = 'UTC' where id = ${testbed.fx.a.id}`);
    }
  });

  it("holds the cap under concurrent sends of two campaigns sharing a mailbox, and puts the rest off to the next window", async () => {
    const first = await running(6, { dailyCap: 4 });
    const second = await running(6, { dailyCap: 4 });
    // The second campaign sends from the first's mailbox.
    await db().execute(sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id)
      values (${testbed.fx.a.id}, ${second.campaignId}, ${first.identityId})`);
    await reapprove(second.campaignId);
    await db().execute(
      sql`update public.campaign_enrollments set identity_id = ${first.identityId} where campaign_id = ${second.campaignId}`,
    );

    const outcomes = await Promise.all([
      ...first.enrollmentIds.map((_, i) => send(first, i)),
      ...second.enrollmentIds.map((_, i) => send(second, i)),
    ]);
    const sent = [...first.emails, ...second.emails];
    const received = (await Promise.all(sent.map(outboxTo))).flat();
    expect(received).toHaveLength(4);
    expect(outcomes.filter((o) => o.next === "done")).toHaveLength(4);
    expect(outcomes.filter((o) => o.next === "sleep" && o.why === "cap")).toHaveLength(8);
    const [usage] = await db().select().from(sendingIdentityUsage).where(eq(sendingIdentityUsage.identityId, first.identityId));
    expect(usage!.sent).toBe(4);
  });
  it("lets the claims of one statement that compete for a mailbox's last places take only those places", async () => {
    // Mailbox M (cap 5, 2 places already used today) is shared by two campaigns: 7 claims for
    // its 3 last places. Mailbox N (cap 2, nothing used yet): 3 claims for 2 places.
    const first = await running(4, { dailyCap: 5 });
    const second = await running(3, { dailyCap: 5 });
    const third = await running(3, { dailyCap: 2 });
    await db().execute(sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id)
      values (${testbed.fx.a.id}, ${second.campaignId}, ${first.identityId})`);
    await reapprove(second.campaignId);
    await db().execute(
      sql`update public.campaign_enrollments set identity_id = ${first.identityId} where campaign_id = ${second.campaignId}`,
    );
    const [mailbox] = await db().execute<{ time_zone: string }>(
      sql`select time_zone from public.sending_identities where id = ${first.identityId}`,
    );
    for (let i = 0; i < 2; i++) {
      const place = {
        workspaceId: testbed.fx.a.id,
        identityId: first.identityId,
        dailyCap: 5,
        identityTimeZone: mailbox!.time_zone,
        at: new Date(),
      };
      expect((await reserveSend(db(), place)).ok).toBe(true);
    }
    // Each campaign's content checked beforehand, so that all ten runs reach their claim in the same turn.
    for (const r of [first, second, third]) {
      const [c] = await db().execute<{ updated_at: string; approved_content_hash: string }>(
        sql`select updated_at::text, approved_content_hash from public.campaigns where id = ${r.campaignId}`,
      );
      await approvedContent(db(), { campaignId: r.campaignId, updatedAt: c!.updated_at, approvedHash: c!.approved_content_hash });
    }

    const before = { ...claimStatements };
    const outcomes = await Promise.all([first, second, third].flatMap((r) => r.enrollmentIds.map((_, i) => send(r, i))));
    // The ten claims went in one statement.
    expect([claimStatements.statements - before.statements, claimStatements.claims - before.claims]).toEqual([1, 10]);

    const received = async (r: Setup) => (await Promise.all(r.emails.map(outboxTo))).flat();
    expect([...(await received(first)), ...(await received(second))]).toHaveLength(3);
    expect(await received(third)).toHaveLength(2);
    expect(outcomes.filter((o) => o.next === "done" && o.outcome === "completed")).toHaveLength(5);
    expect(outcomes.filter((o) => o.next === "sleep" && o.why === "cap")).toHaveLength(5);
    for (const [identityId, cap, messages] of [
      [first.identityId, 5, 3],
      [third.identityId, 2, 2],
    ] as const) {
      const usage = await db().select().from(sendingIdentityUsage).where(eq(sendingIdentityUsage.identityId, identityId));
      expect(usage.map((u) => u.sent)).toEqual([cap]);
      const rows = await db().select().from(emailMessages).where(eq(emailMessages.identityId, identityId));
      expect(rows.filter((m) => m.status === "sent")).toHaveLength(messages);
    }
  });
});

describe("§7.6 a template that cannot render for this lead", () => {
  it("blocks that lead's send with the reason on its enrollment, and sends the others", async () => {
    const r = await running(2);
    await db().execute(sql`update public.leads set first_name = null where id = ${r.leadIds[0]}`);
    await db().execute(sql`update public.campaign_step_variants set subject = 'Bonjour {{ first_name }}' where step_id = ${r.stepId}`);
    await reapprove(r.campaignId);
    forgetApprovedContent();
    expect(await send(r, 0)).toEqual({ next: "done", outcome: "skipped" });
    const ended = await enrollment(r.enrollmentIds[0]!);
    expect(ended).toMatchObject({ status: "skipped", endCause: "render_failed" });
    expect(ended.stopReason).toMatch(/^Step 1, variant A: first_name is empty for this lead and has no fallback/);
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    expect(await send(r, 1)).toEqual({ next: "done", outcome: "completed" });
    expect((await outboxTo(r.emails[1]!))[0]!.subject).toBe("Bonjour Ada");
  });
});
