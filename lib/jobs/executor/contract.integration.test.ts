import { InngestTestEngine } from "@inngest/test";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inngest, type JobContext } from "@/inngest/client";
import { runReaching, send, startTestExecutor, stepsOf, unique, type TestExecutor } from "../testing/harness";

/**
 * The contract: one function, driven by the same events, takes the same steps (by their
 * memoization keys, in order) and returns the same result under the official test engine
 * (@inngest/test, which runs the SDK's own execution engine) and under the local executor.
 */

const event = unique("test/lead.qualified");
const followUp = unique("test/lead.followed-up");

type LeadEvent = { name: string; data: { leadId: string; vip: boolean; signals: string[] } };

async function qualifyLead({ event, step }: JobContext<LeadEvent>) {
  const lead = await step.run("load-lead", () => ({ id: event.data.leadId, name: "Ada Lovelace" }));
  const scores: number[] = [];
  for (const signal of event.data.signals) scores.push(await step.run("score-signal", () => signal.length));
  if (event.data.vip) await step.run("alert-owner", () => `VIP ${lead.name}`);
  await step.sleep("cool-down", "2h");
  const sent = await step.sendEvent("follow-up", { name: followUp, data: { leadId: lead.id } });
  const total = await step.run("total", () => scores.reduce((a, b) => a + b, 0));
  return { lead, scores, total, followUps: sent.ids.length };
}

const qualifyLeadFunction = inngest.createFunction({ id: unique("qualify-lead"), triggers: [{ event }] }, qualifyLead);

const inputs: LeadEvent["data"][] = [
  { leadId: "lead-1", vip: false, signals: ["title", "company", "region"] },
  { leadId: "lead-2", vip: true, signals: ["title"] },
];

async function underTestEngine(data: LeadEvent["data"]) {
  const engine = new InngestTestEngine({
    function: qualifyLeadFunction,
    events: [{ name: event, data } as EventPayload],
    // @inngest/test never resolves a sleep and really sends events unless they are mocked.
    steps: [
      { id: "cool-down", handler: () => undefined },
      { id: "follow-up", handler: () => ({ ids: ["mocked-event-id"] }) },
    ],
  });
  const { result, state } = (await engine.execute()) as { result: unknown; state: Record<string, unknown> };
  return { result, keys: Object.keys(state) };
}

let executor: TestExecutor;
beforeAll(async () => {
  executor = await startTestExecutor([{ fn: qualifyLeadFunction, handler: qualifyLead }]);
});
afterAll(() => executor.stop());

async function underLocalExecutor(data: LeadEvent["data"]) {
  const eventId = await send(event, data);
  await runReaching(eventId, ["sleeping"]);
  executor.clock.advance(2 * 60 * 60_000 + 1_000);
  executor.wake();
  const run = await runReaching(eventId, ["completed", "failed"]);
  return { result: run.output, keys: (await stepsOf(run.id)).map((s) => s.step_key), ids: (await stepsOf(run.id)).map((s) => s.step_id) };
}

describe("contract with @inngest/test", () => {
  it.each(inputs)("takes the same steps and returns the same result for $leadId", async (data) => {
    const reference = await underTestEngine(data);
    const local = await underLocalExecutor(data);
    expect(local.result).toEqual(reference.result);
    expect(local.keys).toEqual(reference.keys);
    expect(local.ids).toContain(data.signals.length > 1 ? "score-signal:1" : "score-signal");
  });
});
