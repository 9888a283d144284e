"use client";
import { DropdownMenu } from "radix-ui";
import { useState, type ComponentProps } from "react";
import { cn } from "./cn";

/** The app's dropdown menu surface and items (Radix: keyboard, focus and typeahead included). */
export function MenuContent({ className, ...props }: ComponentProps<typeof DropdownMenu.Content>) {
  return (
    <DropdownMenu.Portal>
      <DropdownMenu.Content
        sideOffset={4}
        className={cn("z-50 min-w-52 rounded-md border border-zinc-200 bg-white p-1 shadow-lg", className)}
        {...props}
      />
    </DropdownMenu.Portal>
  );
}

export function MenuItem({ className, ...props }: ComponentProps<typeof DropdownMenu.Item>) {
  return (
    <DropdownMenu.Item
      className={cn(
        "flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-zinc-100",
        className,
      )}
      {...props}
    />
  );
}

/**
 * Open and onOpenChange for a DropdownMenu.Root whose choice starts an action: it stays shut
 * while the action runs. Its trigger is then `busy`, not disabled: a disabled trigger loses the
 * focus the closing menu hands back to it (to the page), and Radix opens a menu on pointer and
 * key down, which a busy button's cancelled click does not stop.
 */
export function useMenuShutWhile(busy: boolean, initiallyOpen = false) {
  const [open, setOpen] = useState(initiallyOpen);
  return { open, onOpenChange: (next: boolean) => setOpen(next && !busy) };
}
