/**
 * OpenAI's reasoning models (o1, o3, o4-mini…, and the GPT-5 family but its -chat models) think
 * before they answer, and that hidden reasoning counts toward max_completion_tokens and is
 * billed as output (vendors file §3.2). A cap sized for the answer alone ends most of their
 * answers at the length limit, so they are asked for little reasoning ("low", an effort every
 * one of them takes) and given room for it. Told apart by name, whichever server answers: a
 * proxy serving gpt-5-mini needs the same.
 */
const REASONING_MODEL = /^(o\d|gpt-5)(?!.*-chat)/i;
export const REASONING_EFFORT = "low";
/** Room for low-effort reasoning beside the answer: not measured here (no OpenAI access), chosen generously. */
export const REASONING_ALLOWANCE_TOKENS = 2_000;

export function isReasoningModel(model: string): boolean {
  return REASONING_MODEL.test(model.trim());
}

/** The max_completion_tokens sent for an answer of at most `answerTokens`. */
export function completionCap(model: string, answerTokens: number): number {
  return isReasoningModel(model) ? answerTokens + REASONING_ALLOWANCE_TOKENS : answerTokens;
}

/**
 * What a reasoning model's low-effort reasoning adds to an answer, on average, for estimates made
 * before a run: a guess (not measured here), erring high, so that an estimate does not promise
 * less than the run spends.
 */
export const EXPECTED_REASONING_TOKENS = 400;
