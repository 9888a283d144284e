import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { serveWebHandler } from "../../../tests/serve-web-handler";

/**
 * A local OpenAI-compatible server for tests and benchmarks, following the Chat Completions
 * contract the vendor file describes (vendors/apollo-phantombuster-openai.md §3):
 * `POST /v1/chat/completions` with a Bearer key, `response_format` json_schema, an answer in
 * `choices[0].message.content` with `finish_reason`, and a `usage` object whose prompt tokens
 * it counts itself (o200k_base over each message's text, plus the schema) and whose cached
 * tokens are the prompt's first 1,024-token multiples seen before, as OpenAI's prompt caching
 * reports them. Errors use OpenAI's envelope. Tests decide each answer with `answer` and queue
 * faults: 429 with retry headers, 500s, malformed JSON, a hang, an answer outside the schema.
 */
export type FakeChatRequest = {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  max_completion_tokens?: number;
};

export type FakeOpenAIFault =
  | { status: number; headers?: Record<string, string>; error?: { message: string; type?: string; code?: string | null } }
  | { content: string; finishReason?: "stop" | "length" }
  | { refusal: string }
  | { hangMs: number };

export type FakeOpenAI = {
  /** The base URL as OPENAI_BASE_URL takes it (…/v1). */
  url: string;
  requests: { apiKey: string | null; body: FakeChatRequest }[];
  /** The next requests get these answers instead of `answer`'s, in order. */
  fail: (...faults: FakeOpenAIFault[]) => void;
  reset: () => void;
  close: () => Promise<void>;
};

export type FakeOpenAIOptions = {
  /** The JSON object to answer a request with (serialised as the message's content). */
  answer: (request: FakeChatRequest) => unknown;
  /** Accepted keys; unset accepts any (an Ollama-like server). */
  keys?: string[];
  /** Milliseconds before each answer (bench:enrich uses 300). */
  latencyMs?: number;
  port?: number;
  /**
   * Also serve `GET /__fake/requests` (the request log as JSON) and `POST /__fake/reset`, for a
   * test in another process than the server's (the e2e run's shared fake, e2e/global-setup.ts).
   */
  control?: boolean;
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** OpenAI caches a prompt's prefix in steps of 128 tokens once it is at least 1,024 long. */
const CACHE_MIN = 1024;
const CACHE_STEP = 128;

export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const requests: FakeOpenAI["requests"] = [];
  const faults: FakeOpenAIFault[] = [];
  const seenPrefixes = new Set<string>();
  let counter = 0;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (options.control && url.pathname === "/__fake/requests" && request.method === "GET") return json(200, requests);
    if (options.control && url.pathname === "/__fake/reset" && request.method === "POST") {
      reset();
      return json(200, { ok: true });
    }
    if (request.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      return json(404, {
        error: { message: `Unknown request URL: ${request.method} ${url.pathname}`, type: "invalid_request_error", code: "unknown_url" },
      });
    }
    const apiKey = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? null;
    if (options.keys && (!apiKey || !options.keys.includes(apiKey))) {
      return json(401, {
        error: { message: "Incorrect API key provided.", type: "invalid_request_error", param: null, code: "invalid_api_key" },
      });
    }
    const body = (await request.json()) as FakeChatRequest;
    requests.push({ apiKey, body });
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));

    const fault = faults.shift();
    if (fault && "hangMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
    if (fault && "status" in fault) {
      return json(
        fault.status,
        { error: { message: "The server had an error.", type: "server_error", param: null, code: null, ...fault.error } },
        fault.headers,
      );
    }
    const usage = usageOf(body);
    const id = `chatcmpl-fake-${++counter}`;
    const message =
      fault && "refusal" in fault
        ? { role: "assistant", content: null, refusal: fault.refusal }
        : { role: "assistant", content: fault && "content" in fault ? fault.content : JSON.stringify(options.answer(body)), refusal: null };
    const finishReason = fault && "finishReason" in fault && fault.finishReason ? fault.finishReason : "stop";
    return json(200, {
      id,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
      usage: {
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion(message.content ?? message.refusal ?? ""),
        total_tokens: 0,
        prompt_tokens_details: { cached_tokens: usage.cached },
      },
    });
  }

  function usageOf(body: FakeChatRequest) {
    const parts = [
      ...(body.response_format?.json_schema ? [JSON.stringify(body.response_format.json_schema.schema)] : []),
      ...body.messages.map((m) => `<|${m.role}|>${m.content}<|end|>`),
    ];
    const text = parts.join("");
    const prompt = countTokens(text) + 3;
    // Everything before the last message (the shared instructions, when a caller lays its
    // prompts out that way) is cached from the second time it is seen, in 128-token steps.
    const last = body.messages.at(-1);
    const prefix = last ? text.slice(0, text.length - `<|${last.role}|>${last.content}<|end|>`.length) : "";
    let cached = 0;
    if (seenPrefixes.has(prefix)) {
      const tokens = countTokens(prefix);
      cached = tokens >= CACHE_MIN ? Math.floor(tokens / CACHE_STEP) * CACHE_STEP : 0;
    }
    seenPrefixes.add(prefix);
    return { prompt, cached: Math.min(cached, prompt), completion: (content: string) => countTokens(content) };
  }

  function reset() {
    requests.length = 0;
    faults.length = 0;
  }

  const served = await serveWebHandler(handle, options.port);
  return {
    url: `${served.url}/v1`,
    requests,
    fail: (...more) => faults.push(...more),
    reset,
    close: served.close,
  };
}
