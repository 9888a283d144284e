"use client";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { VARIANT_LABELS, type StepDraft, type VariantDraft } from "@/lib/campaigns/types";
import { addVariant, removeVariant, weightTotal } from "./draft-steps";
import { TemplateField } from "./template-field";

type Props = {
  step: StepDraft;
  index: number;
  count: number;
  disabled: boolean;
  onChange: (step: StepDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
};

const NUMBER =
  "w-16 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm tabular-nums focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none";

const clampInt = (value: string, max: number) => Math.max(0, Math.min(max, Math.trunc(Number(value) || 0)));

/** One email of the sequence: its delay, and its variants (one, or an A/B split with weights). */
export function StepEditor({ step, index, count, disabled, onChange, onMove, onRemove }: Props) {
  const [open, setOpen] = useState<string>("A");
  const current = step.variants.find((v) => v.label === open) ?? step.variants[0]!;
  const split = step.variants.length > 1;
  const total = weightTotal(step);
  const n = index + 1;
  const setVariant = (label: string, change: Partial<VariantDraft>) =>
    onChange({ ...step, variants: step.variants.map((v) => (v.label === label ? { ...v, ...change } : v)) });

  return (
    <section aria-labelledby={`step-${step.id}-title`} className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={`step-${step.id}-title`} className="text-sm font-semibold text-zinc-900">
          Step {n}
        </h3>
        <div className="ml-auto flex items-center gap-1">
          <Button variant="ghost" size="sm" disabled={disabled || index === 0} onClick={() => onMove(-1)} aria-label={`Move step ${n} up`}>
            <ArrowUp aria-hidden className="size-3.5" />
          </Button>
          <Button
            variant="ghost"
            size="sm"
            disabled={disabled || index === count - 1}
            onClick={() => onMove(1)}
            aria-label={`Move step ${n} down`}
          >
            <ArrowDown aria-hidden className="size-3.5" />
          </Button>
          <Button variant="ghost" size="sm" disabled={disabled} onClick={onRemove} aria-label={`Remove step ${n}`}>
            <Trash2 aria-hidden className="size-3.5" />
          </Button>
        </div>
      </div>

      <fieldset className="flex flex-wrap items-center gap-2 text-sm text-zinc-700" disabled={disabled}>
        <legend className="sr-only">When step {n} is sent</legend>
        <span>{index === 0 ? "Send" : "Wait"}</span>
        <label className="sr-only" htmlFor={`step-${step.id}-days`}>
          Days
        </label>
        <input
          id={`step-${step.id}-days`}
          type="number"
          min={0}
          max={365}
          className={NUMBER}
          value={step.delayDays}
          onChange={(e) => onChange({ ...step, delayDays: clampInt(e.target.value, 365) })}
        />
        <span>days and</span>
        <label className="sr-only" htmlFor={`step-${step.id}-hours`}>
          Hours
        </label>
        <input
          id={`step-${step.id}-hours`}
          type="number"
          min={0}
          max={23}
          className={NUMBER}
          value={step.delayHours}
          onChange={(e) => onChange({ ...step, delayHours: clampInt(e.target.value, 23) })}
        />
        <span>hours {index === 0 ? "after a lead is enrolled" : `after step ${index}`}</span>
        <label className="ml-2 inline-flex items-center gap-1.5">
          <input type="checkbox" checked={step.businessDays} onChange={(e) => onChange({ ...step, businessDays: e.target.checked })} />
          Business days only (Monday to Friday)
        </label>
      </fieldset>

      {split ? (
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label={`Variants of step ${n}`}>
          {step.variants.map((v) => (
            <button
              key={v.label}
              type="button"
              aria-pressed={v.label === current.label}
              onClick={() => setOpen(v.label)}
              className={cn(
                "h-7 rounded-md border px-2.5 text-xs font-medium",
                v.label === current.label ? "border-accent-600 bg-accent-50 text-accent-700" : "border-zinc-300 bg-white text-zinc-700",
              )}
            >
              Variant {v.label}
            </button>
          ))}
          <fieldset className="ml-auto flex items-center gap-2 text-xs text-zinc-700" disabled={disabled}>
            <legend className="sr-only">Split of step {n}</legend>
            {step.variants.map((v) => (
              <label key={v.label} className="inline-flex items-center gap-1">
                {v.label}
                <input
                  type="number"
                  min={0}
                  max={100}
                  className={cn(NUMBER, "w-14 py-0.5 text-xs")}
                  value={v.weight}
                  onChange={(e) => setVariant(v.label, { weight: clampInt(e.target.value, 100) })}
                  aria-label={`Share of variant ${v.label}, in percent`}
                />
                %
              </label>
            ))}
          </fieldset>
          {total !== 100 ? (
            <p role="status" className="w-full text-xs text-amber-800">
              The split adds up to {total}%: make it 100% before submitting.
            </p>
          ) : null}
        </div>
      ) : null}

      <TemplateField
        id={`step-${step.id}-${current.label}-subject`}
        label={split ? `Subject (variant ${current.label})` : "Subject"}
        value={current.subject}
        maxLength={500}
        disabled={disabled}
        placeholder={index === 0 ? 'Quick question, {{ first_name | default: "there" }}' : "Re: …"}
        onChange={(subject) => setVariant(current.label, { subject })}
      />
      <TemplateField
        id={`step-${step.id}-${current.label}-body`}
        label={split ? `Body (variant ${current.label})` : "Body"}
        value={current.body}
        maxLength={20_000}
        multiline
        disabled={disabled}
        placeholder={'Hi {{ first_name | default: "there" }},\n\n…'}
        onChange={(body) => setVariant(current.label, { body })}
      />
      <div className="flex flex-wrap gap-2">
        {step.variants.length < VARIANT_LABELS.length ? (
          <Button
            variant="secondary"
            size="sm"
            disabled={disabled}
            onClick={() => {
              const next = addVariant(step);
              onChange(next);
              setOpen(next.variants[next.variants.length - 1]!.label);
            }}
          >
            <Plus aria-hidden className="size-3.5" />
            {split ? "Add a variant" : "Add an A/B variant"}
          </Button>
        ) : null}
        {split ? (
          <Button
            variant="ghost"
            size="sm"
            disabled={disabled}
            onClick={() => {
              onChange(removeVariant(step, current.label));
              setOpen("A");
            }}
          >
            Remove variant {current.label}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
