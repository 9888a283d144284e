import { countTokens as countCl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { countTokens as countO200k } from "gpt-tokenizer/encoding/o200k_base";

/**
 * Tokens counted the way OpenAI's models count them, for the estimate shown before a run:
 * o200k_base for the GPT-4o, 4.1, 5 and o-series families, cl100k_base for GPT-4 and 3.5. A
 * model of another family (a local Llama, Mistral, Qwen) has its own tokenizer, which this
 * cannot know: its prompts are counted with o200k_base, usually within 10–20 % of its own.
 */
export function tokenizerOf(model: string): "o200k_base" | "cl100k_base" {
  return /^(gpt-4-|gpt-4$|gpt-3\.5)/.test(model) && !/^gpt-4o/.test(model) ? "cl100k_base" : "o200k_base";
}

export function countTextTokens(text: string, model: string): number {
  return tokenizerOf(model) === "cl100k_base" ? countCl100k(text) : countO200k(text);
}

/** Tokens the chat format adds: each message's role and separators, and the reply's priming (OpenAI's cookbook). */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

export type CountedMessage = { role: "system" | "user" | "assistant"; content: string };

/**
 * The prompt tokens of a chat request: its messages in the chat format, and the structured
 * output's JSON schema, which the server adds to the prompt.
 */
export function countPromptTokens(messages: readonly CountedMessage[], model: string, schema?: unknown): number {
  let total = REPLY_PRIMING;
  for (const message of messages) total += PER_MESSAGE + countTextTokens(message.role, model) + countTextTokens(message.content, model);
  if (schema !== undefined) total += countTextTokens(JSON.stringify(schema), model);
  return total;
}
