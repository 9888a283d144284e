"use client";
import { useRouter } from "next/navigation";

/**
 * Navigates and re-renders the server components, for moves that change who is signed in or
 * where (log in, log out, join a workspace): the client cache must not show the old session.
 */
export function useGoFresh(): (href: string) => void {
  const router = useRouter();
  return (href) => {
    router.replace(href);
    router.refresh();
  };
}
