import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { emailMessages } from "@/db/schema";
import { runReaching, send, startTestExecutor, unique, type TestExecutor } from "@/lib/jobs/testing/harness";
import { runningCampaign } from "@/lib/sending/send/testing/running-campaign";
import { outboxTo, serveScriptedOutbox, type ScriptedOutbox } from "@/lib/sending/send/testing/scripted-outbox";
import { testSequenceFunction } from "@/lib/sending/send/testing/sequence-function";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * Issue 13: under the outbox's enforced rate limit (Resend's 429 rate_limit_exceeded with
 * retry-after), a campaign burst loses no email and sends none twice: every 429 is retried
 * after the time the provider asked for, under the same Idempotency-Key.
 */
const RATE = 5;
const LEADS = 20;
let outbox: ScriptedOutbox;
let fx: TenancyFixture;
let executor: TestExecutor;
const sequence = testSequenceFunction(unique("rate"));

beforeAll(async () => {
  outbox = await serveScriptedOutbox({ rateLimitPerSecond: RATE });
  process.env.RESEND_BASE_URL = outbox.baseUrl;
  fx = await createTenancyFixture(serviceDb());
  // No throttle here (the function's throttle follows LOCAL_OUTBOX_RATE_LIMIT, unset): the burst meets the limit head on.
  executor = await startTestExecutor([sequence], { retry: { baseMs: 200, maxMs: 2_000 }, pollMs: 50, poolSize: 8 });
});
afterAll(async () => {
  await executor?.stop();
  if (fx) await removeTenancyFixture(fx, serviceDb());
  await outbox.close();
});

describe("the outbox's rate limit", () => {
  it(`sends ${LEADS} leads at ${RATE}/s with every 429 retried: none lost, none twice`, { timeout: 90_000 }, async () => {
    const r = await runningCampaign(fx.a, LEADS);
    const eventIds = await Promise.all(
      r.enrollmentIds.map((enrollmentId) =>
        send(sequence.event, { workspaceId: fx.a.id, campaignId: r.campaignId, enrollmentId, generation: 1, identityId: r.identityId }),
      ),
    );
    const runs = await Promise.all(eventIds.map((id) => runReaching(id, ["completed", "failed"], 80_000)));
    expect(runs.every((run) => run.status === "completed")).toBe(true);

    const limited = outbox.requests.filter((q) => r.emails.includes(q.to) && q.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const email of r.emails) expect(await outboxTo(email), email).toHaveLength(1);
    const messages = await serviceDb().select().from(emailMessages).where(inArray(emailMessages.enrollmentId, r.enrollmentIds));
    expect(messages.map((m) => m.status)).toEqual(r.emails.map(() => "sent"));
    // Every request for a lead carried that lead's one key.
    for (const email of r.emails) {
      expect(new Set(outbox.requests.filter((q) => q.to === email).map((q) => q.idempotencyKey)).size).toBe(1);
    }
  });
});
