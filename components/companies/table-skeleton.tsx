/** A table's shape while its page loads (route loading UI), so rows arrive without a layout jump. */
export function TableSkeleton({ label, rows = 12, columns = 5 }: { label: string; rows?: number; columns?: number }) {
  return (
    <div role="status" aria-busy="true" aria-label={label} className="overflow-hidden rounded-lg border border-zinc-200 bg-white">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex gap-6 border-b border-zinc-100 px-4 py-3">
          {Array.from({ length: columns }, (_, j) => (
            <div key={j} className="h-3 animate-pulse rounded bg-zinc-100" style={{ width: `${[12, 8, 5, 9, 4, 6][j % 6]}rem` }} />
          ))}
        </div>
      ))}
    </div>
  );
}
