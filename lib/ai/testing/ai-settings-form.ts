import type { AiSettingsForm } from "../settings-schema";

/** The AI settings form as a person leaves it untouched (every list empty, no model, no budget), for tests to change a field of. */
export const BLANK_AI_SETTINGS_FORM: AiSettingsForm = {
  icpDescription: "",
  targetTitles: "",
  targetSeniorities: "",
  targetIndustries: "",
  companySizes: "",
  countries: "",
  icebreakerTone: "friendly",
  icebreakerLanguage: "English",
  model: "",
  monthlyBudgetUsd: "",
  prices: [],
};
