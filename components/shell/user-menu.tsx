"use client";
import { useRouter } from "next/navigation";
import { ChevronUp, KeyRound, LogOut } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useSignOut } from "@/components/sign-out-button";
import { MenuContent, MenuItem } from "@/components/ui/menu";

export function UserMenu({ email }: { email: string }) {
  const router = useRouter();
  const { signOut } = useSignOut();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label="User menu"
        className="flex w-full items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100"
      >
        <span className="flex min-w-0 items-center gap-2">
          <span aria-hidden className="grid size-6 shrink-0 place-items-center rounded-full bg-zinc-200 text-xs font-semibold uppercase">
            {email.slice(0, 1)}
          </span>
          <span className="truncate">{email}</span>
        </span>
        <ChevronUp aria-hidden className="size-4 text-zinc-400" />
      </DropdownMenu.Trigger>
      <MenuContent side="top" align="start">
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
