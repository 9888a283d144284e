import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sendNextStep } from "./send-next-step";
import { reapproveTestCampaign, runningCampaign } from "./testing/running-campaign";
import { outboxTo } from "./testing/scripted-outbox";
import { scriptedOutboxTestbed } from "./testing/scripted-outbox-testbed";

const testbed = scriptedOutboxTestbed();
const db = () => serviceDb();

/** A running one-lead campaign in New York office hours, due since long before `at`. */
async function dueInNewYork() {
  const r = await runningCampaign(testbed.fx.a, 1, { leads: { timeZone: "America/New_York" }, window: "office" });
  await db().execute(sql`update public.campaign_enrollments set next_send_at = '2026-06-01T00:00:00Z' where campaign_id = ${r.campaignId}`);
  const input = { workspaceId: testbed.fx.a.id, campaignId: r.campaignId, enrollmentId: r.enrollmentIds[0]!, generation: 1 };
  return { r, input };
}

/** What an attempt killed inside the provider call leaves: the message claimed, `sending`, fate unknown. */
async function leaveSending(input: { enrollmentId: string }, email: string, at: string) {
  testbed.outbox.script(email, { status: 503, name: "internal_server_error", message: "Down for a minute" });
  await expect(sendNextStep(db(), input as never, { now: () => new Date(at) })).rejects.toThrow(/internal_server_error/);
  await db().execute(sql`update public.email_messages set status = 'sending', created_at = ${at}::timestamptz
    where enrollment_id = ${input.enrollmentId}`);
}

describe("§7.4 a retried send and the window", () => {
  it("does not send a 5xx-refused email on a retry that comes after the lead's window closed", async () => {
    // Office hours (Mon–Fri 09:00–17:00) in New York; the first attempt at 16:59:30 on a Friday.
    const r = await runningCampaign(testbed.fx.a, 1, { leads: { timeZone: "America/New_York" }, window: "office" });
    await db().execute(
      sql`update public.campaign_enrollments set next_send_at = '2026-06-12T00:00:00Z' where campaign_id = ${r.campaignId}`,
    );
    const input = { workspaceId: testbed.fx.a.id, campaignId: r.campaignId, enrollmentId: r.enrollmentIds[0]!, generation: 1 };
    testbed.outbox.script(r.emails[0]!, { status: 503, name: "internal_server_error", message: "Down for a minute" });
    await expect(sendNextStep(db(), input, { now: () => new Date("2026-06-12T20:59:30Z") })).rejects.toThrow(/internal_server_error/);

    // The step's back-off brings the retry to 17:01 New York time: the window is closed.
    const retry = await sendNextStep(db(), input, { now: () => new Date("2026-06-12T21:01:00Z") });
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    // Monday 09:00 EDT.
    expect(retry).toMatchObject({ next: "sleep", until: "2026-06-15T13:00:00.000Z" });
  });

  it("holds an email of unknown fate for the next window under its own Idempotency-Key, then sends it once", async () => {
    const { r, input } = await dueInNewYork();
    // Tuesday 16:59:30 in New York; the retry comes at 17:01, the window reopens Wednesday 09:00.
    await leaveSending(input, r.emails[0]!, "2026-06-09T20:59:30Z");
    const held = await sendNextStep(db(), input, { now: () => new Date("2026-06-09T21:01:00Z") });
    expect(held).toMatchObject({ next: "sleep", until: "2026-06-10T13:00:00.000Z" });
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    const [message] = await db().execute<{ id: string; status: string }>(
      sql`select id, status from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(message?.status).toBe("sending");

    await sendNextStep(db(), input, { now: () => new Date("2026-06-10T13:00:00Z") });
    const sent = await outboxTo(r.emails[0]!);
    expect(sent).toHaveLength(1);
    const [after] = await db().execute<{ id: string; status: string }>(
      sql`select id, status from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(after).toEqual({ id: message!.id, status: "sent" });
  });

  it("fails an email of unknown fate rather than send it after the provider forgot its key or outside the window", async () => {
    const { r, input } = await dueInNewYork();
    // Friday 16:59:30: the window reopens Monday 09:00, 64 hours later, past the key's 24 hours.
    await leaveSending(input, r.emails[0]!, "2026-06-12T20:59:30Z");
    const outcome = await sendNextStep(db(), input, { now: () => new Date("2026-06-12T21:01:00Z") });
    expect(outcome).toEqual({ next: "done", outcome: "failed" });
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    const [message] = await db().execute<{ status: string; error_code: string; reason: string }>(
      sql`select status, error_code, reason from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(message).toMatchObject({ status: "failed", error_code: "unknown_outcome" });
    expect(message?.reason).toMatch(/cannot arrive twice/);
    const [enrollment] = await db().execute<{ status: string; end_cause: string }>(
      sql`select status, end_cause from public.campaign_enrollments where id = ${input.enrollmentId}`,
    );
    expect(enrollment).toEqual({ status: "stopped", end_cause: "provider_rejected" });
  });

  it("fails an email of unknown fate whose retry comes inside the window but after the provider forgot its key", async () => {
    const { r, input } = await dueInNewYork();
    // Tuesday 10:00 in New York, and the retry only on Wednesday 11:00 (a run that waited a day
    // for its executor): inside the window, 25 hours on, the Idempotency-Key no longer protects it.
    await leaveSending(input, r.emails[0]!, "2026-06-09T14:00:00Z");
    const outcome = await sendNextStep(db(), input, { now: () => new Date("2026-06-10T15:00:00Z") });
    expect(outcome).toEqual({ next: "done", outcome: "failed" });
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    const [message] = await db().execute<{ status: string; error_code: string }>(
      sql`select status, error_code from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(message).toEqual({ status: "failed", error_code: "unknown_outcome" });
  });
});

describe("§7.2 an email that may have left is never written anew", () => {
  it("keeps an unanswered email under its own key when a later attempt is refused, whatever the window does next", async () => {
    const { r, input } = await dueInNewYork();
    const email = r.emails[0]!;
    // The first attempt reaches the provider, which takes the email but never answers; the
    // retry under the same key is rate-limited (Resend: 2 requests a second by default).
    testbed.outbox.script(email, { hang: "after-store" }, { status: 429, name: "rate_limit_exceeded", message: "Too many requests" });
    await expect(sendNextStep(db(), input, { now: () => new Date("2026-06-09T20:59:00Z"), providerTimeoutMs: 300 })).rejects.toThrow(
      /did not take it/,
    );
    await expect(sendNextStep(db(), input, { now: () => new Date("2026-06-09T20:59:40Z") })).rejects.toThrow(/rate_limit_exceeded/);
    // 17:01 in New York: the window closed; it reopens Wednesday 09:00.
    const held = await sendNextStep(db(), input, { now: () => new Date("2026-06-09T21:01:00Z") });
    expect(held).toMatchObject({ next: "sleep", until: "2026-06-10T13:00:00.000Z" });
    await sendNextStep(db(), input, { now: () => new Date("2026-06-10T13:00:00Z") });

    expect(await outboxTo(email)).toHaveLength(1);
    const keys = new Set(testbed.outbox.requests.filter((q) => q.to === email).map((q) => q.idempotencyKey));
    expect(keys.size).toBe(1);
    const [message] = await db().execute<{ status: string; outcome_unknown: boolean }>(
      sql`select status, outcome_unknown from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(message).toEqual({ status: "sent", outcome_unknown: true });
  });

  it("keeps an email whose key was still in flight at the provider (409) under that key", async () => {
    const { r, input } = await dueInNewYork();
    const email = r.emails[0]!;
    testbed.outbox.script(email, {
      status: 409,
      name: "concurrent_idempotent_requests",
      message: "Same idempotency key used while original request is still in progress",
    });
    await expect(sendNextStep(db(), input, { now: () => new Date("2026-06-09T20:59:00Z") })).rejects.toThrow(/concurrent_idempotent/);
    const held = await sendNextStep(db(), input, { now: () => new Date("2026-06-09T21:01:00Z") });
    expect(held).toMatchObject({ next: "sleep", until: "2026-06-10T13:00:00.000Z" });
    const [message] = await db().execute<{ status: string }>(
      sql`select status from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(message?.status).toBe("sending");
  });
});

describe("§7.1 an email is sent only under the approval it was written for", () => {
  async function editAndReapprove(campaignId: string): Promise<void> {
    await db().execute(sql`update public.campaigns set status = 'paused' where id = ${campaignId}`);
    await db().execute(sql`update public.campaign_step_variants set subject = 'Corrected subject' where campaign_id = ${campaignId}`);
    await reapproveTestCampaign(campaignId);
  }

  it("writes anew an email refused before an edit and a new approval, instead of sending the old text", async () => {
    const { r, input } = await dueInNewYork();
    const email = r.emails[0]!;
    testbed.outbox.script(email, { status: 503, name: "internal_server_error", message: "Down for a minute" });
    await expect(sendNextStep(db(), input, { now: () => new Date("2026-06-09T14:00:00Z") })).rejects.toThrow(/internal_server_error/);
    await editAndReapprove(r.campaignId);

    await sendNextStep(db(), input, { now: () => new Date("2026-06-09T14:05:00Z") });
    const received = await outboxTo(email);
    expect(received.map((m) => m.subject)).toEqual(["Corrected subject"]);
  });

  it("does not send again an email of unknown fate written before an edit and a new approval", async () => {
    const { r, input } = await dueInNewYork();
    await leaveSending(input, r.emails[0]!, "2026-06-09T14:00:00Z");
    await editAndReapprove(r.campaignId);

    const outcome = await sendNextStep(db(), input, { now: () => new Date("2026-06-09T14:05:00Z") });
    expect(outcome).toEqual({ next: "done", outcome: "failed" });
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    const [message] = await db().execute<{ status: string; reason: string }>(
      sql`select status, reason from public.email_messages where enrollment_id = ${input.enrollmentId}`,
    );
    expect(message?.status).toBe("failed");
    expect(message?.reason).toMatch(/edited and approved again/);
  });
});
