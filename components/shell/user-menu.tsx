"use client";
import { ChevronUp } from "lucide-react";
import type { ComponentProps } from "react";
import { deferred } from "@/components/ui/deferred";

type Props = { email: string };

/** The account menu at the foot of the sidebar; its Radix menu loads after the first paint. */
export const UserMenu = deferred<Props>(
  () => import("./user-menu-dropdown").then((m) => m.UserMenuDropdown),
  ({ email, onOpen }) => <UserMenuButton email={email} aria-haspopup="menu" aria-expanded={false} onClick={onOpen} />,
);

export function UserMenuButton({ email, ...props }: Props & ComponentProps<"button">) {
  return (
    <button
      type="button"
      aria-label="User menu"
      className="flex w-full items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100"
      {...props}
    >
      <span className="flex min-w-0 items-center gap-2">
        <span aria-hidden className="grid size-6 shrink-0 place-items-center rounded-full bg-zinc-200 text-xs font-semibold uppercase">
          {email.slice(0, 1)}
        </span>
        <span className="truncate" title={email}>
          {email}
        </span>
      </span>
      <ChevronUp aria-hidden className="size-4 text-zinc-400" />
    </button>
  );
}
