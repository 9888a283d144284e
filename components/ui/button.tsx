import type { ButtonHTMLAttributes } from "react";
import { cn } from "./cn";

type Variant = "primary" | "secondary" | "ghost" | "danger";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-accent-600 text-white hover:bg-accent-700",
  secondary: "border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50",
  ghost: "text-zinc-700 hover:bg-zinc-100",
  danger: "bg-red-600 text-white hover:bg-red-700",
};

/** Disabled, or aria-disabled while its action runs (`busy`: it keeps the focus). */
const DISABLED: Record<Variant, string> = {
  primary: "disabled:bg-accent-500/60 aria-disabled:bg-accent-500/60",
  secondary: "disabled:text-zinc-400 aria-disabled:text-zinc-400",
  ghost: "disabled:text-zinc-400 aria-disabled:text-zinc-400",
  danger: "disabled:bg-red-400 aria-disabled:bg-red-400",
};

/**
 * A button. While the action it started runs it is `busy`: aria-disabled, not disabled, because
 * a focused element that becomes disabled loses the focus to the page (the browser's focus
 * fixup), and so does a dialog's trigger the focus returns to, so keyboard users found
 * themselves back at the top. A click meanwhile does nothing: its handler is not called and its
 * default (submitting a form, opening a dialog through its trigger) is cancelled.
 */
export function Button({
  variant = "primary",
  size = "md",
  className,
  type = "button",
  looksEnabled = false,
  busy = false,
  onClick,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: "sm" | "md";
  /** Disabled for a moment only (until hydration): drawn as enabled, so it does not flash pale. */
  looksEnabled?: boolean;
  /** Its action is running: drawn and announced as disabled, keeping the focus. */
  busy?: boolean;
}) {
  return (
    <button
      type={type}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      // Only where there is something to do: a server component's button carries no handler.
      onClick={
        busy || onClick
          ? (event) => {
              if (busy) event.preventDefault();
              else onClick?.(event);
            }
          : undefined
      }
      className={cn(
        "inline-flex items-center justify-center gap-1.5 rounded-md font-medium whitespace-nowrap transition-colors",
        !looksEnabled && "disabled:cursor-not-allowed aria-disabled:cursor-not-allowed",
        size === "sm" ? "h-7 px-2.5 text-xs" : "h-9 px-3.5 text-sm",
        VARIANTS[variant],
        !looksEnabled && DISABLED[variant],
        className,
      )}
      {...props}
    />
  );
}
