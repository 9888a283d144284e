"use client";
import { ChevronsUpDown } from "lucide-react";
import type { ComponentProps } from "react";
import { deferred } from "@/components/ui/deferred";
import type { Membership } from "@/lib/auth/session";
import { ROLE_LABELS } from "@/lib/auth/roles";

type Props = { memberships: Membership[]; current: Membership };

/** The workspace menu at the top of the sidebar; its Radix menu and dialog load after the first paint. */
export const WorkspaceSwitcher = deferred<Props>(
  () => import("./workspace-switcher-menu").then((m) => m.WorkspaceSwitcherMenu),
  ({ current, onOpen }) => <WorkspaceButton current={current} aria-haspopup="menu" aria-expanded={false} onClick={onOpen} />,
);

export function WorkspaceButton({ current, ...props }: { current: Membership } & ComponentProps<"button">) {
  return (
    <button
      type="button"
      aria-label="Switch workspace"
      className="flex w-full items-center justify-between rounded-md border border-zinc-200 px-2.5 py-1.5 text-left text-sm hover:bg-zinc-50 aria-disabled:cursor-wait aria-disabled:opacity-60"
      {...props}
    >
      <span className="min-w-0">
        <span className="block truncate font-medium" data-testid="current-workspace">
          {current.workspaceName}
        </span>
        <span className="block text-xs text-zinc-500">{ROLE_LABELS[current.role]}</span>
      </span>
      <ChevronsUpDown aria-hidden className="size-4 text-zinc-400" />
    </button>
  );
}
