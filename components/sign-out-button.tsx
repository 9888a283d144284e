"use client";
import { LogOut } from "lucide-react";
import { signOut } from "@/app/login/actions";
import { useAction } from "@/components/use-action";
import { useGoFresh } from "@/components/use-go-fresh";
import { Button } from "./ui/button";

/** Sign-out runs on the server: the session cookie is HttpOnly, out of the browser's reach. */
export function useSignOut(redirectTo = "/login") {
  const goFresh = useGoFresh();
  const { run, pending } = useAction(signOut);
  return { pending, signOut: () => run({}, { onSuccess: () => goFresh(redirectTo) }) };
}

export function SignOutButton({ redirectTo = "/login" }: { redirectTo?: string }) {
  const { pending, signOut: run } = useSignOut(redirectTo);
  return (
    <Button variant="secondary" busy={pending} onClick={run}>
      <LogOut aria-hidden className="size-4" /> Log out
    </Button>
  );
}
