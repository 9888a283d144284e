/** The table's shape while the first page loads (route loading UI): no layout jump when rows arrive. */
export function LeadTableSkeleton({ rows = 14 }: { rows?: number }) {
  return (
    <div role="status" aria-busy="true" aria-label="Loading leads" className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-zinc-200 bg-white px-4 py-2">
        {[28, 72, 20].map((w, i) => (
          <div key={i} className="h-8 animate-pulse rounded-md bg-zinc-100" style={{ width: `${w * 0.25}rem` }} />
        ))}
      </div>
      <div className="flex-1 overflow-hidden">
        <div className="border-b border-zinc-200 px-4 py-2.5">
          <div className="h-3 w-2/3 animate-pulse rounded bg-zinc-100" />
        </div>
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex gap-6 border-b border-zinc-100 px-4 py-2.5">
            <div className="h-3 w-36 animate-pulse rounded bg-zinc-100" />
            <div className="h-3 w-28 animate-pulse rounded bg-zinc-100" />
            <div className="h-3 w-32 animate-pulse rounded bg-zinc-100" />
            <div className="h-3 w-44 animate-pulse rounded bg-zinc-100" />
            <div className="h-3 w-16 animate-pulse rounded bg-zinc-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
