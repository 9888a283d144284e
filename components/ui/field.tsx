import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cn } from "./cn";

const CONTROL =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-zinc-400 focus:border-accent-500 focus:outline-none focus:ring-2 focus:ring-accent-100 aria-invalid:border-red-500";

type FieldProps = { id: string; label: string; error?: string[]; hint?: ReactNode; children: ReactNode };

/** Label, control, hint and error, wired with ids so screen readers announce the error. */
export function Field({ id, label, error, hint, children }: FieldProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
        {label}
      </label>
      {children}
      {hint && !error?.length ? <p className="text-xs text-zinc-500">{hint}</p> : null}
      {error?.length ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {error.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function TextInput({ invalid, className, ...props }: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return (
    <input
      aria-invalid={invalid || undefined}
      aria-describedby={invalid && props.id ? `${props.id}-error` : undefined}
      className={cn(CONTROL, className)}
      {...props}
    />
  );
}

/**
 * A select. One that saves each choice at once is `busy` while it saves: aria-disabled, not
 * disabled (a focused control that becomes disabled drops the focus to the page, so a keyboard
 * user choosing with the arrow keys lost their place), and a choice made meanwhile is not taken:
 * the select, controlled, shows its value again.
 */
export function Select({
  invalid,
  busy = false,
  className,
  onChange,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean; busy?: boolean }) {
  return (
    <select
      aria-invalid={invalid || undefined}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      className={cn(CONTROL, "pr-8 aria-disabled:text-zinc-500", className)}
      // Only where there is something to do: a server component's select carries no handler.
      onChange={
        onChange
          ? (event) => {
              if (!busy) onChange(event);
            }
          : undefined
      }
      {...props}
    />
  );
}

export function TextArea({ invalid, className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean }) {
  return (
    <textarea
      aria-invalid={invalid || undefined}
      aria-describedby={invalid && props.id ? `${props.id}-error` : undefined}
      className={cn(CONTROL, className)}
      {...props}
    />
  );
}
