import type { LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "./empty-state";

/** A page of its own for a dead end (not found, not allowed), with the way back. */
export function FullPageMessage({ icon, title, children }: { icon: LucideIcon; title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <EmptyState
        icon={icon}
        title={title}
        action={
          <Link href="/leads" className="text-sm font-medium text-accent-600 hover:underline">
            Back to leads
          </Link>
        }
      >
        {children}
      </EmptyState>
    </main>
  );
}
