import type { ComponentProps, ReactNode } from "react";
import { EmptyState } from "./empty-state";

/**
 * A page of its own for a dead end (not found, not allowed), with the way back. It holds no client
 * code (the way back is a plain link, a full load from a dead end), so app/not-found.tsx adds no
 * chunk of its own to the pages it is listed beside.
 */
export function FullPageMessage({
  icon,
  title,
  children,
}: {
  icon: ComponentProps<typeof EmptyState>["icon"];
  title: string;
  children: ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <EmptyState
        icon={icon}
        title={title}
        action={
          <a href="/leads" className="text-sm font-medium text-accent-600 hover:underline">
            Back to leads
          </a>
        }
      >
        {children}
      </EmptyState>
    </main>
  );
}
