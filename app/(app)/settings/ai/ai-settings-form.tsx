"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextArea, TextInput } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { ICEBREAKER_TONES, ZAiSettings, type AiSettingsForm as FormValues } from "@/lib/ai/settings-schema";
import type { ModelPrice } from "@/lib/ai/pricing";
import { saveAiSettings } from "./actions";

/** The settings as the page reads them (lib/ai/settings.ts AiSettings, dates aside). */
type Settings = {
  icpDescription: string;
  targetTitles: string[];
  targetSeniorities: string[];
  targetIndustries: string[];
  companySizes: string[];
  countries: string[];
  icebreakerTone: (typeof ICEBREAKER_TONES)[number];
  icebreakerLanguage: string;
  model: string | null;
  monthlyBudgetUsd: number | null;
  prices: Record<string, ModelPrice>;
};

const FIELD_LABELS = { model: "Model", input: "Input price", cachedInput: "Cached input price", output: "Output price" } as const;

type PriceRow = { key: number; model: string; input: string; cachedInput: string; output: string };

const TONE_LABELS: Record<(typeof ICEBREAKER_TONES)[number], string> = {
  friendly: "Friendly",
  professional: "Professional",
  direct: "Direct",
  playful: "Playful",
};

const LISTS = [
  { name: "targetTitles", label: "Target titles", hint: "One per line or separated by commas, e.g. Head of Sales." },
  { name: "targetSeniorities", label: "Seniorities", hint: "e.g. vp, head, director, c_suite." },
  { name: "targetIndustries", label: "Industries", hint: "e.g. Software, Financial Services." },
  { name: "companySizes", label: "Company sizes (employees)", hint: "e.g. 51-200, 201-500." },
  { name: "countries", label: "Countries", hint: "e.g. Germany, France." },
] as const;

function readForm(form: FormData, prices: PriceRow[]): FormValues {
  return {
    icpDescription: formText(form, "icpDescription"),
    targetTitles: formText(form, "targetTitles"),
    targetSeniorities: formText(form, "targetSeniorities"),
    targetIndustries: formText(form, "targetIndustries"),
    companySizes: formText(form, "companySizes"),
    countries: formText(form, "countries"),
    icebreakerTone: formText(form, "icebreakerTone") as FormValues["icebreakerTone"],
    icebreakerLanguage: formText(form, "icebreakerLanguage"),
    model: formText(form, "model"),
    monthlyBudgetUsd: formText(form, "monthlyBudgetUsd"),
    prices: prices.map(({ model, input, cachedInput, output }) => ({ model, input, cachedInput, output })),
  };
}

function localErrors(input: FormValues): Record<string, string[]> | null {
  const parsed = ZAiSettings.safeParse(input);
  if (parsed.success) return null;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues)
    (errors[issue.path[0] === "prices" ? "prices" : String(issue.path[0])] ??= []).push(issue.message);
  return errors;
}

let nextKey = 0;
/** By model name: the database keeps a JSON object's keys in an order of its own. */
const rowsOf = (prices: Record<string, ModelPrice>): PriceRow[] =>
  Object.entries(prices)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, p]) => ({
      key: nextKey++,
      model,
      input: String(p.input),
      cachedInput: String(p.cachedInput),
      output: String(p.output),
    }));

/** The workspace's ideal customer profile, icebreaker style, model, monthly budget and price table (admins). */
export function AiSettingsForm({ settings, defaultModel }: { settings: Settings; defaultModel: string }) {
  const save = useAction(saveAiSettings);
  const [local, setLocal] = useState<Record<string, string[]> | null>(null);
  const [prices, setPrices] = useState<PriceRow[]>(() => rowsOf(settings.prices));
  const errors = local ?? save.fieldErrors;

  function submit(form: FormData) {
    const input = readForm(form, prices);
    const problems = localErrors(input);
    setLocal(problems);
    if (!problems) save.run(input, { success: "AI settings saved." });
  }

  const setPrice = (key: number, field: keyof Omit<PriceRow, "key">, value: string) =>
    setPrices((rows) => rows.map((row) => (row.key === key ? { ...row, [field]: value } : row)));

  return (
    <form method="post" noValidate aria-label="AI settings" onSubmit={submitHandler(submit)} className="space-y-5">
      <fieldset className="space-y-3">
        <legend className="text-xs font-semibold text-zinc-800">Ideal customer profile</legend>
        <p className="text-xs text-zinc-600">Fit scores measure each lead against it. Scoring refuses to run while it is empty.</p>
        <Field id="ai-icp" label="Describe your ideal customer" error={errors.icpDescription}>
          <TextArea
            id="ai-icp"
            name="icpDescription"
            rows={4}
            defaultValue={settings.icpDescription}
            invalid={!!errors.icpDescription}
            placeholder="e.g. B2B SaaS companies of 50–500 people selling to finance teams in Europe."
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          {LISTS.map((list) => (
            <Field key={list.name} id={`ai-${list.name}`} label={list.label} error={errors[list.name]} hint={list.hint}>
              <TextArea
                id={`ai-${list.name}`}
                name={list.name}
                rows={2}
                defaultValue={settings[list.name].join("\n")}
                invalid={!!errors[list.name]}
              />
            </Field>
          ))}
        </div>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-xs font-semibold text-zinc-800">Icebreakers and model</legend>
        <Field id="ai-tone" label="Tone" error={errors.icebreakerTone}>
          <Select id="ai-tone" name="icebreakerTone" defaultValue={settings.icebreakerTone} invalid={!!errors.icebreakerTone}>
            {ICEBREAKER_TONES.map((tone) => (
              <option key={tone} value={tone}>
                {TONE_LABELS[tone]}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="ai-language" label="Language" error={errors.icebreakerLanguage}>
          <TextInput
            id="ai-language"
            name="icebreakerLanguage"
            defaultValue={settings.icebreakerLanguage}
            invalid={!!errors.icebreakerLanguage}
          />
        </Field>
        <Field id="ai-model" label="Model" error={errors.model} hint={`Empty: the server's default, ${defaultModel}.`}>
          <TextInput id="ai-model" name="model" defaultValue={settings.model ?? ""} placeholder={defaultModel} invalid={!!errors.model} />
        </Field>
      </fieldset>

      <Field
        id="ai-budget"
        label="Monthly budget (USD)"
        error={errors.monthlyBudgetUsd}
        hint="Runs stop cleanly when this month's spend reaches it. Empty: no limit."
      >
        <TextInput
          id="ai-budget"
          name="monthlyBudgetUsd"
          inputMode="decimal"
          defaultValue={settings.monthlyBudgetUsd === null ? "" : String(settings.monthlyBudgetUsd)}
          invalid={!!errors.monthlyBudgetUsd}
          className="max-w-40"
        />
      </Field>

      <fieldset className="space-y-2">
        <legend className="text-xs font-semibold text-zinc-800">Prices (USD per million tokens)</legend>
        <p className="text-xs text-zinc-600">
          Estimates and the usage ledger use them. Prefilled with list prices: check them against your provider. A model not listed costs
          nothing (a local model).
        </p>
        <table className="w-full text-sm" aria-label="Prices per million tokens">
          <thead className="text-left text-xs text-zinc-600">
            <tr>
              <th className="py-1 font-medium">Model</th>
              <th className="py-1 font-medium">Input</th>
              <th className="py-1 font-medium">Cached input</th>
              <th className="py-1 font-medium">Output</th>
              <th className="py-1">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {prices.map((row, index) => (
              <tr key={row.key}>
                {(["model", "input", "cachedInput", "output"] as const).map((field) => (
                  <td key={field} className="py-1 pr-2">
                    <TextInput
                      aria-label={`${FIELD_LABELS[field]}, row ${index + 1}`}
                      value={row[field]}
                      inputMode={field === "model" ? undefined : "decimal"}
                      onChange={(event) => setPrice(row.key, field, event.target.value)}
                    />
                  </td>
                ))}
                <td className="py-1">
                  <Button variant="ghost" size="sm" onClick={() => setPrices((rows) => rows.filter((r) => r.key !== row.key))}>
                    Remove<span className="sr-only"> row {index + 1}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {errors.prices?.length ? (
          <p role="alert" className="text-xs text-red-600">
            {errors.prices.join(" ")}
          </p>
        ) : null}
        <Button
          variant="secondary"
          size="sm"
          onClick={() => setPrices((rows) => [...rows, { key: nextKey++, model: "", input: "0", cachedInput: "0", output: "0" }])}
        >
          Add a model
        </Button>
      </fieldset>

      <SubmitButton pending={save.pending}>{save.pending ? "Saving…" : "Save AI settings"}</SubmitButton>
    </form>
  );
}
