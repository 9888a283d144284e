import type { ComponentType, ReactNode } from "react";

export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
}: {
  /** A lucide icon, or any icon drawn the same way (components/ui/not-found-icon.tsx). */
  icon: ComponentType<{ "aria-hidden"?: boolean; className?: string }>;
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
      <div className="mb-3 rounded-full bg-accent-50 p-3 text-accent-600">
        <Icon aria-hidden className="size-5" />
      </div>
      <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
      <div className="mt-1 text-sm text-zinc-600">{children}</div>
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
