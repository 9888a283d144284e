"use client";
import { useMemo } from "react";
import { cn } from "@/components/ui/cn";
import { checkTemplate } from "@/lib/campaigns/templates/check-template";

const CONTROL =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-zinc-400 focus:border-accent-500 focus:outline-none focus:ring-2 focus:ring-accent-100 aria-invalid:border-red-500";

type Props = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  maxLength: number;
  placeholder?: string;
  disabled?: boolean;
};

/**
 * A subject or body with its template checked as the rep types (checkTemplate, the same check
 * pre-flight and the renderer make): syntax errors and unknown variables at their line and
 * column, right under the field.
 */
export function TemplateField({ id, label, value, onChange, multiline, maxLength, placeholder, disabled }: Props) {
  const errors = useMemo(() => checkTemplate(value).errors, [value]);
  const invalid = errors.length > 0;
  const common = {
    id,
    value,
    maxLength,
    placeholder,
    disabled,
    "aria-invalid": invalid || undefined,
    "aria-describedby": invalid ? `${id}-errors` : undefined,
    className: cn(CONTROL, multiline && "min-h-40 font-mono text-[13px] leading-5"),
  };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
        {label}
      </label>
      {multiline ? (
        <textarea {...common} onChange={(e) => onChange(e.target.value)} rows={8} />
      ) : (
        <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />
      )}
      {invalid ? (
        <ul id={`${id}-errors`} className="space-y-0.5 text-xs text-red-700">
          {errors.map((e) => (
            <li key={`${e.line}:${e.column}:${e.message}`}>
              Line {e.line}, column {e.column}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
