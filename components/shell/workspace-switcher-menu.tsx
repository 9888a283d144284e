"use client";
import { Check, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { DropdownMenu } from "radix-ui";
import { useEffect, useRef, useState } from "react";
import { MenuContent, MenuItem, useMenuShutWhile } from "@/components/ui/menu";
import { useAction } from "@/components/use-action";
import { NewWorkspaceDialog } from "@/components/workspaces/new-workspace-dialog";
import { switchWorkspace } from "@/app/(app)/actions";
import type { Membership } from "@/lib/auth/session";
import type { DeferredProps } from "@/components/ui/deferred";
import { WorkspaceButton } from "./workspace-switcher";

/**
 * Set by a switch: the app frame remounts for the new workspace (keyed by it), and the switcher
 * it draws takes the focus back from the page, where the remount left it.
 */
let refocusAfterSwitch = false;

export function WorkspaceSwitcherMenu({
  memberships,
  current,
  defaultOpen,
}: { memberships: Membership[]; current: Membership } & DeferredProps) {
  const router = useRouter();
  const { run, pending } = useAction(switchWorkspace);
  const [creating, setCreating] = useState(false);
  const menu = useMenuShutWhile(pending, defaultOpen);
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!refocusAfterSwitch) return;
    refocusAfterSwitch = false;
    trigger.current?.focus();
  }, []);
  return (
    <>
      <DropdownMenu.Root {...menu}>
        <DropdownMenu.Trigger asChild ref={trigger}>
          <WorkspaceButton current={current} aria-disabled={pending || undefined} aria-busy={pending || undefined} />
        </DropdownMenu.Trigger>
        <MenuContent align="start">
          <DropdownMenu.Label className="px-2 py-1 text-xs text-zinc-500">Workspaces</DropdownMenu.Label>
          {memberships.map((m) => (
            <MenuItem
              key={m.workspaceId}
              onSelect={() =>
                m.workspaceId !== current.workspaceId &&
                run(
                  { workspaceId: m.workspaceId },
                  {
                    success: (d) => `Switched to ${d.workspaceName}.`,
                    onSuccess: () => {
                      refocusAfterSwitch = document.activeElement === trigger.current;
                      router.refresh();
                    },
                  },
                )
              }
              className="justify-between gap-3"
            >
              {m.workspaceName}
              {m.workspaceId === current.workspaceId ? <Check aria-hidden className="size-4 text-accent-600" /> : null}
            </MenuItem>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
          <MenuItem onSelect={() => setCreating(true)}>
            <Plus aria-hidden className="size-4 text-zinc-500" />
            New workspace
          </MenuItem>
        </MenuContent>
      </DropdownMenu.Root>
      <NewWorkspaceDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
