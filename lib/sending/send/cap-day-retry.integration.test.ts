import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sendNextStep } from "./send-next-step";
import { runningCampaign } from "./testing/running-campaign";
import { outboxTo } from "./testing/scripted-outbox";
import { scriptedOutboxTestbed } from "./testing/scripted-outbox-testbed";

/**
 * DESIGN.md §7.4 across the mailbox's midnight: an email claimed on one day (its place under the
 * cap counted on that day) whose provider call is retried after midnight in the mailbox's zone
 * goes out on the new day, so it must count there, under that day's cap.
 */
const testbed = scriptedOutboxTestbed();
const db = () => serviceDb();

const ZONE = "America/New_York";
const CAP = 2;
// Tuesday 9 June 2026, 23:59:30 in New York; then Wednesday 10 June, and Thursday 11 June at midnight.
const DAY1_LATE = new Date("2026-06-10T03:59:30Z");
const DAY2_EARLY = new Date("2026-06-10T04:00:10Z");
const DAY2_RETRY = new Date("2026-06-10T04:00:30Z");
const DAY3_START = new Date("2026-06-11T04:00:00Z");
const RATE_LIMITED = { status: 429, name: "rate_limit_exceeded", message: "Too many requests", headers: { "retry-after": "60" } };

/** Three leads on one mailbox in New York with a cap of 2, sending at any hour, due since long before. */
async function threeLeads() {
  const r = await runningCampaign(testbed.fx.a, 3, { dailyCap: CAP });
  await db().execute(sql`update public.sending_identities set time_zone = ${ZONE} where id = ${r.identityId}`);
  await db().execute(sql`update public.campaign_enrollments set next_send_at = '2026-06-01T00:00:00Z' where campaign_id = ${r.campaignId}`);
  const input = (i: number) => ({
    workspaceId: testbed.fx.a.id,
    campaignId: r.campaignId,
    enrollmentId: r.enrollmentIds[i]!,
    generation: 1,
  });
  const send = (i: number, at: Date, options: { providerTimeoutMs?: number } = {}) =>
    sendNextStep(db(), input(i), { now: () => at, ...options });
  return { r, send };
}

/**
 * Per New York day: the places counted against the cap (sending_identity_usage), and the
 * emails the provider took that day (sent_at, the step's clock when the provider answered).
 */
async function perDay(identityId: string) {
  const counted = await db().execute<{ day: string; n: number }>(sql`
    select day::text, sent as n from public.sending_identity_usage where identity_id = ${identityId} order by day`);
  const sent = await db().execute<{ day: string; n: number }>(sql`
    select (sent_at at time zone ${ZONE})::date::text as day, count(*)::int as n from public.email_messages
    where identity_id = ${identityId} and status = 'sent' group by 1 order by 1`);
  const byDay = (rows: { day: string; n: number }[]) => Object.fromEntries(rows.map((row) => [row.day, Number(row.n)]));
  return { counted: byDay(counted), sent: byDay(sent) };
}

async function messageOf(enrollmentId: string) {
  const [row] = await db().execute<{ id: string; status: string; cap_day: string | null }>(
    sql`select id, status, cap_day::text from public.email_messages where enrollment_id = ${enrollmentId}`,
  );
  return row;
}

describe("§7.4 an email rate-limited just before the mailbox's midnight and retried after it", () => {
  it("is held for the next day when the new day is already full, and its old day gives its place back", async () => {
    const { r, send } = await threeLeads();
    testbed.outbox.script(r.emails[0]!, RATE_LIMITED);
    await expect(send(0, DAY1_LATE)).rejects.toMatchObject({ name: "RetryAfterError" });
    expect(await messageOf(r.enrollmentIds[0]!)).toMatchObject({ status: "queued", cap_day: "2026-06-09" });

    // After midnight the two other leads fill Wednesday's cap; then the step's retry comes.
    expect(await send(1, DAY2_EARLY)).toEqual({ next: "done", outcome: "completed" });
    expect(await send(2, DAY2_EARLY)).toEqual({ next: "done", outcome: "completed" });
    const retry = await send(0, DAY2_RETRY);

    const wednesday = await perDay(r.identityId);
    expect(wednesday.sent["2026-06-10"]).toBe(CAP);
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    expect(retry).toEqual({ next: "sleep", until: DAY3_START.toISOString(), position: 1, why: "cap" });
    // Tuesday sent nothing and keeps no place; Wednesday counts its two.
    expect(wednesday.counted).toEqual({ "2026-06-09": 0, "2026-06-10": CAP });

    // Thursday: it goes, counted on Thursday.
    expect(await send(0, DAY3_START)).toEqual({ next: "done", outcome: "completed" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
    expect(await perDay(r.identityId)).toEqual({
      counted: { "2026-06-09": 0, "2026-06-10": CAP, "2026-06-11": 1 },
      sent: { "2026-06-10": CAP, "2026-06-11": 1 },
    });
  });

  it("takes a place of the new day when it has one, under the same Idempotency-Key, and the others meet the cap", async () => {
    const { r, send } = await threeLeads();
    testbed.outbox.script(r.emails[0]!, RATE_LIMITED);
    await expect(send(0, DAY1_LATE)).rejects.toMatchObject({ name: "RetryAfterError" });
    const claimed = await messageOf(r.enrollmentIds[0]!);

    // The retry comes first after midnight: it takes one of Wednesday's two places.
    expect(await send(0, DAY2_EARLY)).toEqual({ next: "done", outcome: "completed" });
    expect(await send(1, DAY2_RETRY)).toEqual({ next: "done", outcome: "completed" });
    const third = await send(2, DAY2_RETRY);

    expect((await perDay(r.identityId)).sent["2026-06-10"]).toBe(CAP);
    expect(third).toEqual({ next: "sleep", until: DAY3_START.toISOString(), position: 1, why: "cap" });
    expect(await outboxTo(r.emails[2]!)).toEqual([]);
    expect(await perDay(r.identityId)).toEqual({
      counted: { "2026-06-09": 0, "2026-06-10": CAP },
      sent: { "2026-06-10": CAP },
    });
    // The same message, under its one key, now counted on Wednesday.
    expect(await messageOf(r.enrollmentIds[0]!)).toEqual({ id: claimed!.id, status: "sent", cap_day: "2026-06-10" });
    expect(testbed.outbox.requests.filter((q) => q.to === r.emails[0]).map((q) => q.idempotencyKey)).toEqual([claimed!.id, claimed!.id]);
  });
});

describe("§7.4 an email of unknown fate (no answer just before midnight) retried after it", () => {
  it("counts on both days, as it may have left on either, and is sent once under its key", async () => {
    const { r, send } = await threeLeads();
    // The provider never answers the first attempt (it never stored the email).
    testbed.outbox.script(r.emails[0]!, { hang: "before-store" });
    await expect(send(0, DAY1_LATE, { providerTimeoutMs: 300 })).rejects.toThrow(/did not take it/);
    const claimed = await messageOf(r.enrollmentIds[0]!);
    expect(claimed).toMatchObject({ status: "sending", cap_day: "2026-06-09" });

    expect(await send(0, DAY2_EARLY)).toEqual({ next: "done", outcome: "completed" });
    expect(await outboxTo(r.emails[0]!)).toHaveLength(1);
    expect(new Set(testbed.outbox.requests.filter((q) => q.to === r.emails[0]).map((q) => q.idempotencyKey))).toEqual(
      new Set([claimed!.id]),
    );
    // Wednesday counts it (its one place left goes to lead 1; lead 2 waits for Thursday).
    expect(await send(1, DAY2_RETRY)).toEqual({ next: "done", outcome: "completed" });
    const third = await send(2, DAY2_RETRY);
    expect((await perDay(r.identityId)).sent["2026-06-10"]).toBe(CAP);
    expect(third).toMatchObject({ next: "sleep", why: "cap" });
    expect(await perDay(r.identityId)).toEqual({
      counted: { "2026-06-09": 1, "2026-06-10": CAP },
      sent: { "2026-06-10": CAP },
    });
  });

  it("is not sent on a new day already full, and fails rather than wait past its key's life", async () => {
    const { r, send } = await threeLeads();
    testbed.outbox.script(r.emails[0]!, { hang: "before-store" });
    await expect(send(0, DAY1_LATE, { providerTimeoutMs: 300 })).rejects.toThrow(/did not take it/);
    expect(await send(1, DAY2_EARLY)).toEqual({ next: "done", outcome: "completed" });
    expect(await send(2, DAY2_EARLY)).toEqual({ next: "done", outcome: "completed" });

    // Wednesday is full; Thursday's first place comes 24 hours after its key was first used.
    const retry = await send(0, DAY2_RETRY);
    expect((await perDay(r.identityId)).sent["2026-06-10"]).toBe(CAP);
    expect(await outboxTo(r.emails[0]!)).toEqual([]);
    expect(retry).toEqual({ next: "done", outcome: "failed" });
    const [failed] = await db().execute<{ status: string; error_code: string; reason: string }>(
      sql`select status, error_code, reason from public.email_messages where enrollment_id = ${r.enrollmentIds[0]}`,
    );
    expect(failed).toMatchObject({ status: "failed", error_code: "unknown_outcome" });
    expect(failed!.reason).toMatch(/daily cap/);
    expect(await perDay(r.identityId)).toEqual({
      counted: { "2026-06-09": 1, "2026-06-10": CAP },
      sent: { "2026-06-10": CAP },
    });
  });
});
