import { Radar } from "lucide-react";
import type { ReactNode } from "react";

export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2 text-zinc-900">
          <span className="rounded-md bg-accent-600 p-1.5 text-white">
            <Radar aria-hidden className="size-4" />
          </span>
          <span className="text-sm font-semibold">Lead Intelligence Panel</span>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-xs">
          <h1 className="text-lg font-semibold">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-zinc-500">{subtitle}</p> : null}
          <div className="mt-5">{children}</div>
        </div>
      </div>
    </main>
  );
}
