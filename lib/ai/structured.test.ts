import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { aiModel, AiNotConfigured, NO_MODEL_CONFIGURED } from "./model";
import { askStructured, AiAnswerInvalid, AiUnavailable } from "./structured";
import { startFakeOpenAI, type FakeChatRequest } from "./testing/fake-openai";

const KEY = "sk-test-structured-0001";
const Fit = z.object({ score: z.number().int().min(0).max(100), reasons: z.array(z.string()).max(3) });
let answer: (request: FakeChatRequest) => unknown = () => ({ score: 72, reasons: ["Head of Sales", "SaaS, 200 people"] });
const fake = await startFakeOpenAI({ keys: [KEY], answer: (request) => answer(request) });
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  answer = () => ({ score: 72, reasons: ["Head of Sales", "SaaS, 200 people"] });
});

const baseEnv = { OPENAI_MODEL: "gpt-4o-mini" };
const envOf = (e: { OPENAI_MODEL: string; OPENAI_API_KEY?: string; OPENAI_BASE_URL?: string }) => e;
// Fast retries: the SDK's back-off without a header starts at 0.5 s.
const model = (more: Record<string, string> = {}, maxRetries = 2) =>
  aiModel({ maxRetries, timeoutMs: 5_000 }, envOf({ ...baseEnv, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.url, ...more }));
const messages = [
  { role: "system" as const, content: "Score the lead against the ideal customer profile." },
  { role: "user" as const, content: "Lead: Zoë Müller, Head of Sales at Acme, Inc." },
];
const ask = (ai = model()) => askStructured(ai, { name: "fit_score", schema: Fit, messages });

describe("askStructured", () => {
  it("asks with a strict json_schema response format and returns the validated answer with the usage the server reported", async () => {
    const { value, calls } = await ask();
    expect(value).toEqual({ score: 72, reasons: ["Head of Sales", "SaaS, 200 people"] });
    expect(fake.requests).toHaveLength(1);
    const { apiKey, body } = fake.requests[0]!;
    expect(apiKey).toBe(KEY);
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "fit_score", strict: true } });
    expect(body.response_format!.json_schema!.schema).toMatchObject({
      type: "object",
      required: ["score", "reasons"],
      additionalProperties: false,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ model: "gpt-4o-mini", outcome: "valid" });
    expect(calls[0]!.usage.promptTokens).toBeGreaterThan(20);
    expect(calls[0]!.usage.completionTokens).toBeGreaterThan(5);
  });

  it("sends a malformed answer back once with what was wrong, and takes the repaired one (both calls billed)", async () => {
    fake.fail({ content: '{"score": 72, "reasons": ["Head of Sales"' });
    const { value, calls } = await ask();
    expect(value.score).toBe(72);
    expect(calls.map((c) => c.outcome)).toEqual(["invalid", "valid"]);
    const repair = fake.requests[1]!.body.messages;
    expect(repair.slice(0, 2)).toEqual(messages);
    expect(repair[2]).toEqual({ role: "assistant", content: '{"score": 72, "reasons": ["Head of Sales"' });
    expect(repair[3]!.content).toContain("it is not valid JSON");
  });

  it("an answer outside the schema twice fails that item with the field at fault, not silently", async () => {
    // A local server that ignores `strict`: a score out of range, then a missing field.
    fake.fail({ content: '{"score": 140, "reasons": []}' }, { content: '{"reasons": []}' });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiAnswerInvalid);
    expect((error as AiAnswerInvalid).message).toMatch(/^The model answered outside the expected format twice \(score: /);
    expect((error as AiAnswerInvalid).calls.map((c) => c.outcome)).toEqual(["invalid", "invalid"]);
    expect(fake.requests[1]!.body.messages[3]!.content).toContain("score: Too big");
  });

  it("an answer cut off at the length limit is repaired like a malformed one; a refusal is not asked again", async () => {
    fake.fail({ content: '{"score": 7', finishReason: "length" });
    expect((await ask()).calls.map((c) => c.outcome)).toEqual(["invalid", "valid"]);
    fake.reset();
    fake.fail({ refusal: "I can't help with that." });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AiAnswerInvalid", message: "The model declined to answer: I can't help with that." });
    expect(fake.requests).toHaveLength(1);
  });

  it("a repair the server never answers throws AiUnavailable carrying the first answer's call, which is billed", async () => {
    fake.fail({ content: '{"score": 72' }, { status: 503 }, { status: 503 });
    const error = await ask(model({}, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiUnavailable);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining("failed (HTTP 503)") });
    expect(fake.requests).toHaveLength(3);
    // The two 503s are not calls the server answered: only the first is there.
    expect((error as AiUnavailable).calls).toMatchObject([{ model: "gpt-4o-mini", outcome: "invalid" }]);
    expect((error as AiUnavailable).calls[0]!.usage.completionTokens).toBeGreaterThan(0);
    // A first call that fails carries none.
    fake.fail({ status: 503 }, { status: 503 });
    expect(await ask(model({}, 1)).catch((e: unknown) => e)).toMatchObject({ name: "AiUnavailable", calls: [] });
  });

  it("retries a 429 after the wait it asks for, and 5xx answers, under the SDK's back-off", async () => {
    fake.fail(
      {
        status: 429,
        headers: { "retry-after-ms": "50" },
        error: { message: "Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded" },
      },
      { status: 500 },
    );
    const started = Date.now();
    expect((await ask()).value.score).toBe(72);
    expect(fake.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it("says in words what is wrong with the server: still failing, the key refused, out of quota, unknown model, unreachable", async () => {
    fake.fail({ status: 503 }, { status: 503 });
    await expect(ask(model({}, 1))).rejects.toMatchObject({
      name: "AiUnavailable",
      retryable: true,
      message: expect.stringContaining("failed (HTTP 503)"),
    });

    const wrongKey = await ask(model({ OPENAI_API_KEY: "sk-wrong" })).catch((e: unknown) => e);
    expect(wrongKey).toBeInstanceOf(AiUnavailable);
    expect(wrongKey).toMatchObject({ retryable: false, message: expect.stringContaining("refused the API key (HTTP 401)") });
    expect((wrongKey as Error).message).toContain("Check OPENAI_API_KEY.");

    fake.fail({
      status: 429,
      headers: { "x-should-retry": "false" },
      error: { message: "You exceeded your current quota.", type: "insufficient_quota", code: "insufficient_quota" },
    });
    await expect(ask()).rejects.toMatchObject({ retryable: false, message: expect.stringContaining("out of quota") });

    fake.fail({
      status: 404,
      error: { message: "The model `llama9` does not exist", type: "invalid_request_error", code: "model_not_found" },
    });
    await expect(ask(model({ OPENAI_MODEL: "llama9" }))).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('does not know the model "llama9"'),
    });

    await expect(ask(model({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }, 0))).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/^The AI model server at http:\/\/127\.0\.0\.1:9\/v1 could not be reached/),
    });
  });

  it("with no key and no base URL every AI feature says that no model is configured and how to configure one", () => {
    expect(() => aiModel({}, envOf(baseEnv))).toThrow(AiNotConfigured);
    expect(NO_MODEL_CONFIGURED).toContain("OPENAI_API_KEY");
    expect(NO_MODEL_CONFIGURED).toContain("OPENAI_BASE_URL");
    // A local server needs no key: the SDK gets a placeholder.
    expect(aiModel({}, envOf({ ...baseEnv, OPENAI_BASE_URL: "http://localhost:11434/v1" }))).toMatchObject({ provider: "compatible" });
    expect(aiModel({ model: "gpt-4.1-mini" }, envOf({ ...baseEnv, OPENAI_API_KEY: KEY }))).toMatchObject({
      provider: "openai",
      model: "gpt-4.1-mini",
    });
  });
});
