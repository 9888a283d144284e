import path from "node:path";
import { killFaultChild, nextMessage, spawnFaultChild, type FaultChild } from "@/lib/jobs/testing/fault-child";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaignEnrollments, emailMessages } from "@/db/schema";
import { runReaching, send, startTestExecutor, unique } from "@/lib/jobs/testing/harness";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { runningCampaign, type RunningCampaign } from "./testing/running-campaign";
import { outboxTo, serveScriptedOutbox, type ScriptedOutbox } from "./testing/scripted-outbox";
import { testSequenceFunction } from "./testing/sequence-function";

/**
 * DESIGN.md §7.2 under crashes: a child process runs the executor with the sequence function
 * and is killed with SIGKILL (no cleanup) at one of four points of a send: while the provider
 * call is in flight before the outbox stored the email, while it is in flight after the outbox
 * stored it, after the step did everything but before its result was saved, and right after
 * the save. An executor in this process then takes the run over once the dead one's lease
 * expires. Every lead must end with exactly one email in the outbox (no duplicate, none lost),
 * its message row `sent` with the outbox's id, and its enrollment completed.
 */
const WORKER = path.resolve(import.meta.dirname, "testing/sequence-fault-worker.ts");
const POINTS = ["outbox:before-store", "outbox:after-store", "before:send", "after:send"] as const;
const ROUNDS = 3;
const ITERATIONS = POINTS.length * ROUNDS;

type Child = FaultChild;

let outbox: ScriptedOutbox;
let fx: TenancyFixture;
let campaign: RunningCampaign;
const suffix = unique("fault");
const sequence = testSequenceFunction(suffix);
const databaseUrl = process.env.DATABASE_URL ?? "";
const spare: Promise<Child>[] = [];
const alive = new Set<Child>();

const spawnChild = () => spawnFaultChild(WORKER);
const kill = killFaultChild;

async function takeChild(): Promise<Child> {
  const child = await spare.shift()!;
  spare.push(spawnChild());
  alive.add(child);
  return child;
}

beforeAll(async () => {
  outbox = await serveScriptedOutbox();
  // Inherited by the children (fork copies this environment) and read by this process's env().
  process.env.RESEND_BASE_URL = outbox.baseUrl;
  fx = await createTenancyFixture(serviceDb());
  campaign = await runningCampaign(fx.a, ITERATIONS);
  for (let n = 0; n < 2; n++) spare.push(spawnChild());
});

afterAll(async () => {
  for (const pending of spare.splice(0)) alive.add(await pending.catch(() => undefined as never));
  await Promise.all([...alive].filter(Boolean).map(kill));
  if (fx) await removeTenancyFixture(fx, serviceDb());
  await outbox.close();
});

describe("a send killed mid-way", () => {
  it(
    `sends each email exactly once over ${ITERATIONS} runs killed by SIGKILL in and around the provider call`,
    { timeout: 180_000 },
    async () => {
      for (let i = 0; i < ITERATIONS; i++) {
        const killAt = POINTS[i % POINTS.length]!;
        const email = campaign.emails[i]!;
        const hung = new Promise<void>((resolve) => {
          outbox.onHang = (to) => {
            if (to === email) resolve();
          };
        });
        if (killAt.startsWith("outbox:")) outbox.script(email, { hang: killAt.slice("outbox:".length) as "before-store" | "after-store" });

        const eventId = await send(sequence.event, {
          workspaceId: fx.a.id,
          campaignId: campaign.campaignId,
          enrollmentId: campaign.enrollmentIds[i]!,
          generation: 1,
          identityId: campaign.identityId,
        });
        const child = await takeChild();
        child.process.send({ go: { databaseUrl, suffix, killAt } });
        if (killAt.startsWith("outbox:")) await hung;
        else expect(await nextMessage(child, 20_000)).toEqual({ stopped: killAt });
        await kill(child);
        alive.delete(child);

        const survivor = await startTestExecutor([sequence], { leaseMs: 400, pollMs: 50 });
        const run = await runReaching(eventId, ["completed", "failed"], 20_000);
        await survivor.stop();

        expect(run.status, killAt).toBe("completed");
        const received = await outboxTo(email);
        expect(received, `${killAt}: one email in the outbox`).toHaveLength(1);
        const [message] = await serviceDb().select().from(emailMessages).where(eq(emailMessages.enrollmentId, campaign.enrollmentIds[i]!));
        expect(message, killAt).toMatchObject({ status: "sent", providerId: received[0]!.id });
        const [enrollment] = await serviceDb()
          .select({ status: campaignEnrollments.status })
          .from(campaignEnrollments)
          .where(eq(campaignEnrollments.id, campaign.enrollmentIds[i]!));
        expect(enrollment!.status, killAt).toBe("completed");
      }
    },
  );
});
