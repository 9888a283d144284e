"use client";
import { useGoFresh } from "@/components/use-go-fresh";
import { LogOut } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { createSupabaseBrowserClient, type BrowserSupabaseConfig } from "@/lib/supabase/client";
import { Button } from "./ui/button";

export async function signOutInBrowser(config: BrowserSupabaseConfig): Promise<boolean> {
  const { error } = await createSupabaseBrowserClient(config).auth.signOut();
  if (error) toast.error("Could not log out. Check your connection and try again.");
  return !error;
}

export function SignOutButton({ config, redirectTo = "/login" }: { config: BrowserSupabaseConfig; redirectTo?: string }) {
  const goFresh = useGoFresh();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="secondary"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        if (await signOutInBrowser(config)) goFresh(redirectTo);
        setPending(false);
      }}
    >
      <LogOut aria-hidden className="size-4" /> Log out
    </Button>
  );
}
