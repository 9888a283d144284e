import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceDb } from "@/db";
import { replyClassifications } from "@/db/schema";
import { insertTestCompany, insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { enrichLeadInsights } from "./enrichment/enrich-leads";
import { aiModel } from "./model";
import { classifyReply } from "./replies/classify-reply";
import { startFakeOpenAI } from "./testing/fake-openai";
import { fakeModelAnswer } from "./testing/fake-reply-reading";

/**
 * The month's budget is one for the workspace, whatever spends it: AI enrichment and reply
 * reading running at the same time, against the real database and a local OpenAI-compatible
 * server that answers after a moment (so that calls of both overlap), never spend past it.
 */
const KEY = "sk-budget-test-0001";
const fake = await startFakeOpenAI({ keys: [KEY], answer: fakeModelAnswer, latencyMs: 20 });
const ai = () =>
  aiModel({ maxRetries: 0, timeoutMs: 5_000 }, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.url, OPENAI_MODEL: "gpt-4o-mini" });

let fx: TenancyFixture;
const db = serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture();
  // A price that makes each call cost a few cents, so that a budget in cents holds a few dozen calls.
  await db.execute(sql`update workspace_ai_settings set icp_description = 'B2B fintech companies in Germany, 50-500 people',
    prices = '{"gpt-4o-mini": {"input": 50, "cachedInput": 50, "output": 50}}'::jsonb, monthly_budget_usd = null
    where workspace_id in (${fx.a.id}, ${fx.b.id})`);
});
afterAll(async () => {
  await fake.close();
  if (fx) await removeTenancyFixture(fx);
});
beforeEach(() => fake.reset());

async function leadsToEnrich(count: number, ws: TenancyFixture["a"] = fx.a): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const companyId = await insertTestCompany(ws, {
      name: `Fintech ${i}`,
      domain: `fintech-${i}-${randomUUID().slice(0, 8)}.example`,
      industry: "Financial Services",
      employeeCount: 40 + i,
      description: "Payments software for finance teams of mid-sized companies.",
    });
    ids.push(
      await insertTestLead(ws, { firstName: "Zoë", lastName: `Müller-${i}`, title: "Head of Sales", country: "Germany", companyId }),
    );
  }
  return ids;
}

async function repliesToRead(count: number, ws: { id: string } = fx.a): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const leadId = await insertTestLead(ws, { firstName: "Anaïs", lastName: `Replier-${i}` });
    const [row] = await db
      .insert(replyClassifications)
      .values({
        workspaceId: ws.id,
        source: "resend",
        replyKey: randomUUID(),
        leadId,
        subject: "Re: Hello",
        body: `Could you send me your pricing for a team of ${10 + i}?`,
        receivedAt: new Date(),
      })
      .returning({ id: replyClassifications.id });
    ids.push(row!.id);
  }
  return ids;
}

const spentUsd = async (ws: { id: string } = fx.a) => {
  const [row] = await db.execute<{ total: string; enrichment: number; replies: number }>(sql`
    select coalesce(sum(cost_usd), 0)::text total, count(*) filter (where feature = 'enrichment')::int enrichment,
      count(*) filter (where feature = 'reply_classification')::int replies
    from ai_usage where workspace_id = ${ws.id}`);
  return row!;
};

const reservations = (ws: { id: string }) =>
  db.execute<{ feature: string; amount: string }>(
    sql`select feature::text, amount_usd::text amount from private.ai_budget_reservations where workspace_id = ${ws.id}`,
  );

describe("the monthly AI budget", () => {
  it("is never passed when enrichment and reply reading spend it at the same time", async () => {
    const leadIds = await leadsToEnrich(70);
    const replyIds = await repliesToRead(40);
    // About 60 calls' worth: the 70 leads alone ask for more, and the 40 replies at the same time.
    const budget = 2;
    await db.execute(sql`update workspace_ai_settings set monthly_budget_usd = ${budget} where workspace_id = ${fx.a.id}`);

    // The reply job reads up to four replies of a workspace at a time, while the enrichment job's chunk runs.
    let nextReply = 0;
    const readReplies = async () => {
      const outcomes = [];
      while (nextReply < replyIds.length) {
        const classificationId = replyIds[nextReply++]!;
        outcomes.push(await classifyReply({ workspaceId: fx.a.id, classificationId }, { ai: ai(), runId: "budget-test" }));
      }
      return outcomes;
    };
    const [enrichment, ...readers] = await Promise.all([
      enrichLeadInsights(db, { workspaceId: fx.a.id, leadIds }, { ai: ai(), concurrency: 4 }),
      readReplies(),
      readReplies(),
      readReplies(),
      readReplies(),
    ]);
    const replies = readers.flat();

    const spent = await spentUsd();
    expect(Number(spent.total)).toBeLessThanOrEqual(budget);
    // Both spent from it, and both were stopped by it, saying so.
    expect(spent.enrichment).toBeGreaterThan(0);
    expect(spent.replies).toBeGreaterThan(0);
    expect(enrichment.stopped).toMatch(/^This month's AI budget of \$2\.00 is spent \(\$\d+\.\d\d\): the leads not yet enriched/);
    expect(replies.filter((r) => r.state === "failed")).not.toHaveLength(0);
    for (const reply of replies.filter((r) => r.state === "failed")) {
      expect(reply).toMatchObject({ reason: expect.stringMatching(/^This month's AI budget of \$2\.00 is spent: the reply was stored/) });
    }
    // Every reservation became a cost in the ledger or was given back.
    expect(await reservations(fx.a)).toEqual([]);
  });

  it("holds the most a call can cost while it runs, settles to what it cost, and gives it back when the call fails", async () => {
    const [slow, failing] = await repliesToRead(2, fx.b);
    await db.execute(sql`update workspace_ai_settings set monthly_budget_usd = 1 where workspace_id = ${fx.b.id}`);
    const read = (classificationId: string) => classifyReply({ workspaceId: fx.b.id, classificationId }, { ai: ai() });

    fake.fail({ hangMs: 400 });
    const reading = read(slow!);
    await vi.waitFor(() => expect(fake.requests).toHaveLength(1));
    const held = await reservations(fx.b);
    expect(held).toEqual([{ feature: "reply_classification", amount: expect.any(String) }]);
    expect(await reading).toMatchObject({ state: "classified" });
    expect(await reservations(fx.b)).toEqual([]);
    const spent = Number((await spentUsd(fx.b)).total);
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(Number(held[0]!.amount));

    // A model server that fails: the job will try again, and nothing is held meanwhile.
    fake.fail({ status: 500 });
    await expect(read(failing!)).rejects.toThrow(/failed \(HTTP 500\)/);
    expect(await reservations(fx.b)).toEqual([]);
    expect(Number((await spentUsd(fx.b)).total)).toBe(spent);
    expect(await read(failing!)).toMatchObject({ state: "classified" });
  });

  it("records the answer a request had before its repair found the server down, its cost replacing the reservation", async () => {
    const [leadId] = await leadsToEnrich(1, fx.b);
    const [replyId] = await repliesToRead(1, fx.b);
    await db.execute(sql`update workspace_ai_settings set monthly_budget_usd = 1 where workspace_id = ${fx.b.id}`);
    const before = Number((await spentUsd(fx.b)).total);
    // The SDK tries the repair twice (a 429, then a 503) and gives up: those two answers are errors, not billed.
    const patient = aiModel(
      { maxRetries: 1, timeoutMs: 5_000 },
      { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.url, OPENAI_MODEL: "gpt-4o-mini" },
    );
    const firstAnswerThenDown = () =>
      fake.fail({ content: "{not json" }, { status: 429, headers: { "retry-after-ms": "20" } }, { status: 503 });

    firstAnswerThenDown();
    await expect(enrichLeadInsights(db, { workspaceId: fx.b.id, leadIds: [leadId!] }, { ai: patient })).rejects.toThrow(/HTTP 503/);
    firstAnswerThenDown();
    await expect(classifyReply({ workspaceId: fx.b.id, classificationId: replyId! }, { ai: patient })).rejects.toThrow(/HTTP 503/);
    expect(fake.requests).toHaveLength(6);

    // One row for each request, its first answer: the tokens the server reported, at the workspace's $50 per million.
    const ledger = await db.execute<{ feature: string; outcome: string; prompt: number; completion: number; cost: string }>(sql`
      select feature::text, outcome::text, prompt_tokens prompt, completion_tokens completion, cost_usd::text cost from ai_usage
      where workspace_id = ${fx.b.id} and lead_id in (${leadId}, (select lead_id from reply_classifications where id = ${replyId}))
      order by feature`);
    expect(ledger.map((call) => [call.feature, call.outcome])).toEqual([
      ["enrichment", "invalid"],
      ["reply_classification", "invalid"],
    ]);
    for (const call of ledger) {
      expect([call.prompt > 100, call.completion > 0]).toEqual([true, true]);
      expect(Number(call.cost)).toBeCloseTo(((call.prompt + call.completion) * 50) / 1e6, 8);
    }
    expect(Number((await spentUsd(fx.b)).total)).toBeCloseTo(before + ledger.reduce((sum, call) => sum + Number(call.cost), 0), 8);
    expect(await reservations(fx.b)).toEqual([]);
  });
});
