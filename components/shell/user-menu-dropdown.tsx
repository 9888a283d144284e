"use client";
import { useRouter } from "next/navigation";
import { KeyRound, LogOut } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useSignOut } from "@/components/sign-out-button";
import type { DeferredProps } from "@/components/ui/deferred";
import { MenuContent, MenuItem } from "@/components/ui/menu";
import { UserMenuButton } from "./user-menu";

export function UserMenuDropdown({ email, defaultOpen }: { email: string } & DeferredProps) {
  const router = useRouter();
  const { signOut } = useSignOut();
  return (
    <DropdownMenu.Root defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger asChild>
        <UserMenuButton email={email} />
      </DropdownMenu.Trigger>
      <MenuContent side="top" align="start" className="max-w-72">
        {/* The sidebar cuts a long address short: the menu shows all of it. */}
        <DropdownMenu.Label className="px-2 py-1.5 text-xs text-zinc-600">
          Signed in as <span className="block break-all text-sm text-zinc-900">{email}</span>
        </DropdownMenu.Label>
        <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
        <MenuItem onSelect={() => router.push("/auth/set-password")}>
          <KeyRound aria-hidden className="size-4" /> Change password
        </MenuItem>
        <MenuItem onSelect={signOut}>
          <LogOut aria-hidden className="size-4" /> Log out
        </MenuItem>
      </MenuContent>
    </DropdownMenu.Root>
  );
}
