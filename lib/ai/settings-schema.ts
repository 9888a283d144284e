import { z } from "zod";

/**
 * The AI settings form's schema (browser-safe: the form checks with it before sending, the
 * server action again). Lists arrive as text, one item per line or comma.
 */
export const AI_FEATURES = ["enrichment", "reply_classification"] as const;
export type AiFeature = (typeof AI_FEATURES)[number];

export const ICEBREAKER_TONES = ["friendly", "professional", "direct", "playful"] as const;
export type IcebreakerTone = (typeof ICEBREAKER_TONES)[number];

const list = (label: string, max: number) =>
  z
    .string()
    .max(10_000)
    .transform((text) => [
      ...new Set(
        text
          .split(/[\n,]/)
          .map((item) => item.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(100, `Each of the ${label} must be at most 100 characters.`)).max(max, `At most ${max} ${label}.`));

/** "51-200", "51 – 200" or "1000+" (employees), the low end not above the high. Commas separate sizes, so numbers have none. */
const SIZE = /^(\d{1,7})\s*(?:[-–]\s*(\d{1,7})|\+)$/;
function isCompanySize(text: string): boolean {
  const match = SIZE.exec(text);
  return match !== null && (match[2] === undefined || Number(match[1]) <= Number(match[2]));
}

const price = z.coerce
  .number({ message: "Enter a price in dollars, like 0.15." })
  .min(0, "A price cannot be negative.")
  .max(1000, "That price is too high: prices are per million tokens.");

export const ZAiSettings = z.object({
  icpDescription: z.string().trim().max(4000, "Describe the ideal customer in at most 4,000 characters."),
  targetTitles: list("titles", 50),
  targetSeniorities: list("seniorities", 20),
  targetIndustries: list("industries", 50),
  companySizes: list("company sizes", 20).pipe(
    z.array(
      z.string().refine(isCompanySize, {
        error: (issue) =>
          `Write each company size as a range of employees such as 51-200, or an open one such as 1000+, with no commas in the numbers (not “${String(issue.input)}”).`,
      }),
    ),
  ),
  countries: list("countries", 100),
  icebreakerTone: z.enum(ICEBREAKER_TONES, { message: "Choose a tone from the list." }),
  icebreakerLanguage: z.string().trim().min(1, "Name the language icebreakers are written in.").max(40, "At most 40 characters."),
  model: z
    .string()
    .trim()
    .max(100, "A model name is at most 100 characters.")
    .transform((v) => v || null),
  monthlyBudgetUsd: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : Number(v)))
    .pipe(
      z
        .number({ message: "Enter the budget in dollars, like 50, or leave it empty for no limit." })
        .min(0, "A budget cannot be negative.")
        .max(1_000_000, "At most $1,000,000 a month.")
        .nullable(),
    ),
  prices: z
    .array(z.object({ model: z.string().trim().min(1, "Name the model.").max(100), input: price, cachedInput: price, output: price }))
    .max(30, "At most 30 models in the price table."),
});
export type AiSettingsForm = z.input<typeof ZAiSettings>;
export type AiSettingsInput = z.output<typeof ZAiSettings>;
