import "server-only";
import OpenAI from "openai";
import { env, type Env } from "@/lib/env";

/**
 * Which model the AI features use (DESIGN.md §4): OpenAI with OPENAI_API_KEY, or any
 * OpenAI-compatible server (Ollama, llama.cpp) at OPENAI_BASE_URL, the model named by
 * OPENAI_MODEL. Reached only through the official OpenAI SDK.
 */
export type AiModel = {
  client: OpenAI;
  model: string;
  /** openai: api.openai.com with a key; compatible: another server, whose prices are the workspace's to set. */
  provider: "openai" | "compatible";
};

export const NO_MODEL_CONFIGURED =
  "No AI model is configured on this server. An operator sets OPENAI_API_KEY to use OpenAI, or OPENAI_BASE_URL to use an " +
  "OpenAI-compatible server such as Ollama or llama.cpp (for example http://localhost:11434/v1), and OPENAI_MODEL to choose the model.";

/** The AI features were asked for and no model is configured: every screen says so with NO_MODEL_CONFIGURED. */
export class AiNotConfigured extends Error {
  constructor() {
    super(NO_MODEL_CONFIGURED);
    this.name = "AiNotConfigured";
  }
}

/** Local servers ignore the key, but the SDK insists on one. */
const KEYLESS = "sk-no-key-required";

export type AiModelOptions = {
  /** The SDK's own retries of 408, 409, 429 and 5xx (it honours retry-after-ms, retry-after and x-should-retry). */
  maxRetries?: number;
  timeoutMs?: number;
  /** A workspace's choice of model, when its settings name one; OPENAI_MODEL otherwise. */
  model?: string | null;
};

/** The part of the environment that chooses the model. */
export type AiEnv = Pick<Env, "OPENAI_API_KEY" | "OPENAI_BASE_URL" | "OPENAI_MODEL">;

export function isAiConfigured(e: AiEnv = env()): boolean {
  return Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL);
}

/** The configured model, or AiNotConfigured. */
export function aiModel(options: AiModelOptions = {}, e: AiEnv = env()): AiModel {
  if (!isAiConfigured(e)) throw new AiNotConfigured();
  const client = new OpenAI({
    apiKey: e.OPENAI_API_KEY ?? KEYLESS,
    ...(e.OPENAI_BASE_URL ? { baseURL: e.OPENAI_BASE_URL } : {}),
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
    defaultHeaders: { "User-Agent": "LeadIntelligencePanel/0.1 (+self-hosted; openai-node)" },
  });
  return { client, model: options.model?.trim() || e.OPENAI_MODEL, provider: modelProvider(e) };
}

/** Whose server answers: OpenAI's own (which bills every call), or another one, OpenAI-compatible. */
export function modelProvider(e: AiEnv = env()): AiModel["provider"] {
  return e.OPENAI_BASE_URL && !/^https:\/\/api\.openai\.com\//.test(e.OPENAI_BASE_URL) ? "compatible" : "openai";
}
