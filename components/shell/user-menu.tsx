"use client";
import { ChevronUp, KeyRound, LogOut } from "lucide-react";
import { useRouter } from "next/navigation";
import { DropdownMenu } from "radix-ui";
import { signOutInBrowser } from "@/components/sign-out-button";
import type { BrowserSupabaseConfig } from "@/lib/supabase/client";

export function UserMenu({ email, config }: { email: string; config: BrowserSupabaseConfig }) {
  const router = useRouter();
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
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          side="top"
          align="start"
          sideOffset={4}
          className="z-50 min-w-52 rounded-md border border-zinc-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Item
            onSelect={() => router.push("/auth/set-password")}
            className="flex items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-zinc-100"
          >
            <KeyRound aria-hidden className="size-4" /> Change password
          </DropdownMenu.Item>
          <DropdownMenu.Item
            onSelect={async () => {
              if (await signOutInBrowser(config)) {
                router.replace("/login");
                router.refresh();
              }
            }}
            className="flex items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-highlighted:bg-zinc-100"
          >
            <LogOut aria-hidden className="size-4" /> Log out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
