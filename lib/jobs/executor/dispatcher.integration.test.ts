import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { openPostgres } from "@/db/postgres-target";
import { inngest } from "@/inngest/client";
import { send, unique } from "../testing/harness";
import { publishCancelRules } from "./cancel-rules";
import { dispatchPending, type DispatchScope } from "./dispatcher";
import { buildRegistry } from "./registry";

/**
 * The fan-out of events into runs against the real PostgreSQL. A run's place in every FIFO
 * queue (a throttle's, a concurrency key's) is its next_at, so the runs must be due in the
 * order their events were sent, however many batches and executors fan them out.
 */

const sql = openPostgres(process.env.DATABASE_URL ?? "", { max: 4, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

/** An executor's scope with one function triggered by `event`, cancelled by `cancelOn` if given. */
function scopeFor(event: string, cancelOn?: { event: string; match: string }, id = unique("fn")): DispatchScope {
  const handler = async () => null;
  const fn = inngest.createFunction({ id, triggers: [{ event }], ...(cancelOn ? { cancelOn: [cancelOn] } : {}) }, handler);
  const registry = buildRegistry([{ fn, handler }]);
  const eventNames = cancelOn ? [event, cancelOn.event] : [event];
  return { registry, eventNames, functionIds: [...registry.functions.keys()] };
}

const now = { clock: { now: () => Date.now() }, batchSize: 500, stopping: () => false };

async function statusOfRunOf(eventId: string): Promise<string | undefined> {
  const [run] = await sql<{ status: string }[]>`select status from job_runs where event_id = ${eventId}`;
  return run?.status;
}

async function sendAll(event: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push(await send(event, { n }));
  return ids;
}

/** The events whose runs exist, in the order the runs are due. */
async function eventsInRunOrder(eventIds: string[]): Promise<string[]> {
  const rows = await sql<{ event_id: string }[]>`
    select event_id from job_runs where event_id = any(${eventIds}::uuid[]) order by next_at, id`;
  return rows.map((r) => r.event_id);
}

const frozen = (at: number) => ({ now: () => at });

it("makes the runs of a fan-out bigger than a batch due in the order their events were sent, on a clock that stands still", async () => {
  const event = unique("test/dispatch.order");
  const ids = await sendAll(event, 12);
  const handled = await dispatchPending(sql, scopeFor(event), { clock: frozen(Date.now()), batchSize: 5, stopping: () => false });
  expect(handled).toBe(12);
  // Three batches at the same clock reading: without later moments per batch, their next_at would tie.
  expect(await eventsInRunOrder(ids)).toEqual(ids);
  const [due] = await sql<{ moments: number }[]>`
    select count(distinct next_at)::int as moments from job_runs where event_id = any(${ids}::uuid[])`;
  expect(due?.moments).toBe(12);
});

it("never fans out an event before an earlier one another executor is still fanning out", async () => {
  const event = unique("test/dispatch.order");
  const ids = await sendAll(event, 8);
  const scope = scopeFor(event);
  // Another executor's batch in flight: the first three events locked, as its dispatch locks them.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked: () => void = () => {};
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const other = sql
    .begin(async (tx) => {
      await tx`select id from job_events where id = any(${ids.slice(0, 3)}::uuid[]) order by created_at, id for update`;
      locked();
      await released;
      throw new Error("rolled back");
    })
    .catch(() => undefined);
  await holding;

  const second = dispatchPending(sql, scope, { clock: { now: () => Date.now() }, batchSize: 500, stopping: () => false });
  await new Promise((resolve) => setTimeout(resolve, 300));
  // It waits for the first three rather than skipping past them to the later five.
  expect(await eventsInRunOrder(ids)).toEqual([]);
  release();
  await other;
  expect(await second).toBe(8);
  expect(await eventsInRunOrder(ids)).toEqual(ids);
});

it("cancels the runs of another executor's functions on their cancelOn event, whichever executor fans it out", async () => {
  const stop = unique("test/dispatch.stop");
  const theirs = scopeFor(unique("test/dispatch.theirs"), { event: stop, match: "data.campaignId" });
  // This executor listens for the same event (its own function cancels on it too), so it may lock it first.
  const ours = scopeFor(unique("test/dispatch.ours"), { event: stop, match: "data.campaignId" });
  await publishCancelRules(sql, theirs.registry);
  const campaignId = randomUUID();
  const [trigger] = theirs.eventNames;
  const meant = await send(trigger!, { campaignId });
  const spared = await send(trigger!, { campaignId: randomUUID() });
  await dispatchPending(sql, theirs, now);
  expect(await statusOfRunOf(meant)).toBe("queued");

  await send(stop, { campaignId });
  expect(await dispatchPending(sql, ours, now)).toBe(1);
  expect(await statusOfRunOf(meant)).toBe("cancelled");
  expect(await statusOfRunOf(spared)).toBe("queued");
});

it("forgets a function's published cancelOn rules once it is published without them", async () => {
  const stop = unique("test/dispatch.stop");
  const id = unique("fn");
  const trigger = unique("test/dispatch.theirs");
  await publishCancelRules(sql, scopeFor(trigger, { event: stop, match: "data.campaignId" }, id).registry);
  const nextRelease = scopeFor(trigger, undefined, id);
  await publishCancelRules(sql, nextRelease.registry);
  const campaignId = randomUUID();
  const run = await send(trigger, { campaignId });
  await dispatchPending(sql, nextRelease, now);

  await send(stop, { campaignId });
  expect(await dispatchPending(sql, scopeFor(unique("test/dispatch.ours"), { event: stop, match: "data.campaignId" }), now)).toBe(1);
  expect(await statusOfRunOf(run)).toBe("queued");
});
