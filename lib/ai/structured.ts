import "server-only";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { z } from "zod";
import type { AiModel } from "./model";
import { ZERO_USAGE, type AiUsage } from "./pricing";
import { completionCap, isReasoningModel, REASONING_EFFORT } from "./reasoning";

/** One request to the model, as the usage ledger records it. */
export type AiCall = { model: string; usage: AiUsage; outcome: "valid" | "invalid" | "refused" };

export type StructuredAnswer<T> = { value: T; calls: AiCall[] };

/**
 * The model answered, but not with what the schema allows, even after being asked once to
 * repair its answer (or it refused): this item fails with the reason; the run goes on. The
 * calls were made and are billed all the same.
 */
export class AiAnswerInvalid extends Error {
  constructor(
    message: string,
    readonly calls: AiCall[],
  ) {
    super(message);
    this.name = "AiAnswerInvalid";
  }
}

/**
 * The model server could not be used: unreachable, the key refused, out of quota, or still
 * failing after the SDK's retries. A run stops with this message (what it obtained is kept);
 * `retryable` says whether trying later can help. `calls` are those of the same request that
 * the server answered before it failed (a first answer whose repair never came): billed all
 * the same, for the caller to record.
 */
export class AiUnavailable extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly calls: AiCall[] = [],
  ) {
    super(message);
    this.name = "AiUnavailable";
  }
}

/** The calls the server answered in a request that ended with `error` (none for any other error): each one is billed. */
export function answeredCalls(error: unknown): AiCall[] {
  return error instanceof AiAnswerInvalid || error instanceof AiUnavailable ? error.calls : [];
}

export type StructuredRequest<S extends z.ZodType> = {
  /** The response format's name: a–z, A–Z, 0–9, _ and -, at most 64 characters. */
  name: string;
  schema: S;
  /** Instructions first and the same for every item (the provider caches a shared prefix), the item's data last. */
  messages: ChatCompletionMessageParam[];
  /** The answer's own tokens at most; a reasoning model gets its reasoning's room on top (completionCap). */
  maxCompletionTokens?: number;
};

/**
 * One answer in the shape of `schema`: the request asks for it with a strict json_schema
 * response format, and the answer is validated again here, since OpenAI-compatible servers
 * may ignore `strict`. An answer that is not JSON or not in the schema is sent back once with
 * what was wrong, for the model to repair; a second such answer is AiAnswerInvalid.
 */
export async function askStructured<S extends z.ZodType>(
  ai: AiModel,
  request: StructuredRequest<S>,
): Promise<StructuredAnswer<z.infer<S>>> {
  const format = zodResponseFormat(request.schema, request.name);
  const responseFormat = { type: format.type, json_schema: format.json_schema };
  const calls: AiCall[] = [];
  let messages = request.messages;
  for (let attempt = 0; attempt < 2; attempt++) {
    const completion = await complete(ai, calls, {
      model: ai.model,
      messages,
      response_format: responseFormat,
      ...(request.maxCompletionTokens ? { max_completion_tokens: completionCap(ai.model, request.maxCompletionTokens) } : {}),
      ...(isReasoningModel(ai.model) ? { reasoning_effort: REASONING_EFFORT } : {}),
    });
    const choice = completion.choices[0];
    const usage = usageOf(completion.usage);
    const model = completion.model || ai.model;
    if (choice?.message.refusal) {
      calls.push({ model, usage, outcome: "refused" });
      throw new AiAnswerInvalid(`The model declined to answer: ${choice.message.refusal.slice(0, 300)}`, calls);
    }
    const content = choice?.message.content ?? "";
    const problem = choice?.finish_reason === "length" ? "the answer was cut off at the length limit" : null;
    const parsed = problem ? ({ ok: false, problem } as const) : validate(request.schema, content);
    if (parsed.ok) {
      calls.push({ model, usage, outcome: "valid" });
      return { value: parsed.value, calls };
    }
    calls.push({ model, usage, outcome: "invalid" });
    if (attempt === 1) {
      throw new AiAnswerInvalid(`The model answered outside the expected format twice (${parsed.problem}).`, calls);
    }
    messages = [
      ...request.messages,
      { role: "assistant", content: content.slice(0, 4_000) },
      { role: "user", content: repairNote(parsed.problem) },
    ];
  }
  throw new Error("unreachable");
}

const repairNote = (problem: string) =>
  `That answer cannot be used: ${problem}. Answer again with only a JSON object that follows the schema exactly.`;

/**
 * The repair's prompt beyond the request's own and the first answer: two more messages in the
 * chat format, the note and what was wrong (a validation message: a path and a sentence, or an
 * enumeration's options), counted generously.
 */
const REPAIR_PROMPT_TOKENS = 300;

/**
 * The most askStructured can use for a request whose prompt (messages and schema) counts
 * `promptTokens`: two calls, the answer and its one repair, each using the whole completion
 * allowed; the repair's prompt is the request's, the first answer and the note. Nothing cached.
 * What is reserved against the month's budget before asking (lib/ai/budget.ts): an upper bound
 * as long as the server keeps to max_completion_tokens and counts prompts as the tokenizer does.
 */
export function mostStructuredUsage(promptTokens: number, answerTokens: number, model: string): AiUsage {
  const maxCompletionTokens = completionCap(model, answerTokens);
  return {
    promptTokens: 2 * promptTokens + maxCompletionTokens + REPAIR_PROMPT_TOKENS,
    cachedTokens: 0,
    completionTokens: 2 * maxCompletionTokens,
  };
}

function validate<S extends z.ZodType>(schema: S, content: string): { ok: true; value: z.infer<S> } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false, problem: "it is not valid JSON" };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const at = issue.path.length ? issue.path.join(".") : "the answer";
  return { ok: false, problem: `${at}: ${issue.message}` };
}

function usageOf(usage: OpenAI.CompletionUsage | undefined): AiUsage {
  if (!usage) return ZERO_USAGE;
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    // Ollama sends no details: nothing was cached.
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
  };
}

/**
 * The request, with the SDK's failures in words a person can act on. The calls `answered`
 * earlier in the same request were billed: an AiUnavailable carries them to the caller.
 */
async function complete(
  ai: AiModel,
  answered: readonly AiCall[],
  body: OpenAI.ChatCompletionCreateParamsNonStreaming,
): Promise<OpenAI.ChatCompletion> {
  try {
    return await ai.client.chat.completions.create(body);
  } catch (error) {
    const failure = unavailable(ai, error);
    if (!(failure instanceof AiUnavailable) || answered.length === 0) throw failure;
    throw new AiUnavailable(failure.message, failure.retryable, failure.retryAfterMs, [...answered]);
  }
}

function unavailable(ai: AiModel, error: unknown): unknown {
  const where = ai.provider === "openai" ? "OpenAI" : `The AI model server at ${ai.client.baseURL}`;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new AiUnavailable(`${where} did not answer in time.`, true);
  if (error instanceof OpenAI.APIConnectionError) return new AiUnavailable(`${where} could not be reached (${error.message}).`, true);
  if (!(error instanceof OpenAI.APIError)) return error;
  const said = error.message.replace(/^\d{3}\s*/, "").slice(0, 300);
  if (error.status === 401 || error.status === 403) {
    return new AiUnavailable(`${where} refused the API key (HTTP ${error.status}): ${said}. Check OPENAI_API_KEY.`, false);
  }
  if (error.status === 429 && error.code === "insufficient_quota") {
    return new AiUnavailable(
      `${where} says the account is out of quota: ${said}. Nothing more will be spent until it is topped up.`,
      false,
    );
  }
  if (error.status === 429) return new AiUnavailable(`${where} is rate limiting this server: ${said}.`, true, retryAfterMs(error.headers));
  if (error.status === 404) {
    return new AiUnavailable(
      `${where} does not know the model "${ai.model}": ${said}. Choose another in the AI settings or OPENAI_MODEL.`,
      false,
    );
  }
  if (error.status !== undefined && error.status >= 500) return new AiUnavailable(`${where} failed (HTTP ${error.status}): ${said}.`, true);
  return new AiUnavailable(`${where} refused the request (HTTP ${error.status ?? "?"}): ${said}.`, false);
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(headers?.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}
